// Command up12ctl is the offline maintenance tool for up12 spools.
package main

import (
	"fmt"
	"os"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }()
	if len(os.Args) < 2 {
		usage()
		code = 2
		return
	}
	switch os.Args[1] {
	case "compact":
		code = cmdCompact(os.Args[2:])
	case "export":
		code = cmdExport(os.Args[2:])
	case "archive":
		code = cmdArchive(os.Args[2:])
	case "count":
		code = cmdCount(os.Args[2:])
	default:
		usage()
		code = 2
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: up12ctl compact|export|archive|count [flags]")
}
