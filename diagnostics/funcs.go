package diagnostics

import (
	"go/ast"
	"go/parser"
	"go/token"
)

// EnclosingFunc returns the name of the top-level function or method declared in src
// (a Go source file) whose body contains line: "Name" for a function, "Type.Method" for
// a method with either a value or pointer receiver (no star, no parens, type parameters
// dropped). Lines inside a function literal belong to the enclosing top-level function.
// It returns "" when line is outside any function or src does not parse.
//
// A function's lines run from its "func" keyword to its closing brace, so the lines of
// a signature split over several lines (where -m reports parameters) belong to it too;
// its doc comment does not. Functions without a body (implemented in assembly) contain
// no line.
func EnclosingFunc(src []byte, line int) string {
	if line <= 0 {
		return ""
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "src.go", src, parser.SkipObjectResolution)
	if err != nil || f == nil {
		return ""
	}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		from := fset.Position(fn.Pos()).Line
		to := fset.Position(fn.Body.Rbrace).Line
		if line < from || line > to {
			continue
		}
		if fn.Recv == nil || len(fn.Recv.List) == 0 {
			return fn.Name.Name
		}
		if t := receiverType(fn.Recv.List[0].Type); t != "" {
			return t + "." + fn.Name.Name
		}
		return fn.Name.Name
	}
	return ""
}

// receiverType returns the name of a receiver's type: T for T, *T, (T), T[K], *T[K, V].
func receiverType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.Ident:
			return t.Name
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		default:
			return ""
		}
	}
}
