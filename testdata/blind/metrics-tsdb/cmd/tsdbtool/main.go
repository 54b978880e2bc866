// Command tsdbtool inspects and repairs a tsdbd data directory offline.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"example.com/tsdb/block"
)

const usageText = `usage: tsdbtool <command> [flags]

commands:
  ls       list blocks
  dump     print the samples of matching series
  stats    per-metric counts of one block
  verify   check every block's checksum (exit status 3 on corruption)
  wal      list WAL segments
  repair   quarantine corrupt blocks and cut a damaged WAL tail
  export   write matching series as gzip-compressed CSV
  health   query a running tsdbd
`

func usage() {
	fmt.Fprint(os.Stderr, usageText)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

func run(cmd string, args []string) int {
	var err error
	switch cmd {
	case "ls":
		err = cmdList(args)
	case "dump":
		err = cmdDump(args)
	case "stats":
		err = cmdStats(args)
	case "verify":
		err = cmdVerify(args)
	case "wal":
		err = cmdWAL(args)
	case "repair":
		err = cmdRepair(args)
	case "export":
		err = cmdExport(args)
	case "health":
		err = cmdHealth(args)
	case "help", "-h", "--help":
		usage()
		return 0
	default:
		fmt.Fprintf(os.Stderr, "tsdbtool: unknown command %q\n", cmd)
		usage()
		return 2
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "tsdbtool %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "tsdbtool: "+format+"\n", args...)
	os.Exit(1)
}

// blockDirs returns the block directories of a data directory, oldest first.
func blockDirs(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && block.IsULID(e.Name()) {
			dirs = append(dirs, filepath.Join(dataDir, e.Name()))
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}
