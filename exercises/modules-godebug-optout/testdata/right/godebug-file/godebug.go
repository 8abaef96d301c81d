// GODEBUG settings of metergw, each with the reason and the day it can go.
//
// httplaxcontentlength=1: firmware 2.x meters send "Content-Length:" with no
// value on requests without a body, which net/http rejects with 400 since Go
// 1.22. Remove when the 5.x rollout is done (Q3) and
// /godebug/non-default-behavior/httplaxcontentlength:events stays at 0.
//
//go:debug httplaxcontentlength=1

package main
