//go:build ignore

// gen_tool regenerates table.go; run with "go run gen_tool.go".
package main

func main() {}
