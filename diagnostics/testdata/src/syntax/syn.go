package syn

func F() int {
	return 1
}

func G(n int) string {
	F(n)
	var s string = n
}
