package main

import (
	"fmt"

	"example.com/basic/lib"
)

func main() { fmt.Println(lib.Name()) }
