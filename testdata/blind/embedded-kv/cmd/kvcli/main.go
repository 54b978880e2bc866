// Command kvcli is the command-line companion of kvd: remote commands talk
// to a running server, local commands open a database file directly.
package main

import (
	"fmt"
	"log"
	"os"
	"sort"
)

type command struct {
	name  string
	usage string
	run   func(args []string) error
}

func commandTable() []command {
	cmds := []command{
		{"get", "get [-addr A] KEY", cmdGet},
		{"set", "set [-addr A] KEY VALUE", cmdSet},
		{"del", "del [-addr A] KEY...", cmdDel},
		{"scan", "scan [-addr A] [-limit N] PREFIX", cmdScan},
		{"ping", "ping [-addr A] [-n COUNT]", cmdPing},
		{"bench", "bench [-addr A] [-c CLIENTS] [-n OPS]", cmdBench},
		{"dump", "dump [-addr A] [PREFIX]", cmdDump},
		{"stats", "stats FILE...", cmdStats},
		{"verify", "verify [-backups DIR] FILE", cmdVerify},
		{"compact", "compact SRC DST", cmdCompact},
		{"backup", "backup [-keep N] FILE DIR", cmdBackup},
		{"restore", "restore FILE SNAPSHOT", cmdRestore},
		{"export", "export [-prefix P] [-o OUT] FILE", cmdExport},
		{"import", "import FILE TSV", cmdImport},
		{"inspect", "inspect [-pages N] FILE", cmdInspect},
		{"unlock", "unlock FILE", cmdUnlock},
		{"snapinfo", "snapinfo SNAPSHOT", cmdSnapInfo},
		{"diff", "diff SNAPSHOT_A SNAPSHOT_B", cmdDiff},
		{"dumpgz", "dumpgz [-prefix P] FILE OUT.gz", cmdDumpGz},
		{"watch", "watch [-addr A] [-every D]", cmdWatch},
		{"health", "health [-admin A]", cmdHealth},
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	return cmds
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kvcli COMMAND [ARGS]")
	for _, c := range commandTable() {
		fmt.Fprintf(os.Stderr, "  kvcli %s\n", c.usage)
	}
}

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "kvcli: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("kvcli: ")
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	name, args := os.Args[1], os.Args[2:]
	for _, c := range commandTable() {
		if c.name != name {
			continue
		}
		if err := c.run(args); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		return
	}
	fmt.Fprintf(os.Stderr, "kvcli: unknown command %q\n", name)
	usage()
	os.Exit(2)
}
