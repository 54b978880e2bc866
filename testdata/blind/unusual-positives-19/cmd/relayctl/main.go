// Command relayctl administers a relay: it lists topics, imports and
// exports records and purges old segments.
package main

import (
	"fmt"
	"os"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: relayctl topics|import|export|purge|verify|stats|rotate|compact [flags]")
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	args := os.Args[2:]
	var err error
	switch os.Args[1] {
	case "topics":
		err = cmdTopics(args)
	case "import":
		err = cmdImport(args)
	case "export":
		err = cmdExport(args)
	case "purge":
		err = cmdPurge(args)
	case "verify":
		err = cmdVerify(args)
	case "stats":
		err = cmdStats(args)
	case "rotate":
		err = cmdRotate(args)
	case "compact":
		err = cmdCompact(args)
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "relayctl:", err)
		os.Exit(1)
	}
}
