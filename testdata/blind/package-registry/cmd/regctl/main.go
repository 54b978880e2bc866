// Command regctl is the registry's command-line client: verify and pack
// archives, push blobs, fetch and list module versions.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage: regctl <command> [arguments]

commands:
  verify <archive> <module@version>   check a module zip or package tarball
  pack <dir> <module@version> <out>   build a module zip from a directory
  push [-server URL] <file>           upload a blob
  fetch [-server URL] [-keep] <module> <version>
  list [-server URL] <module>...      print known versions`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "verify":
		return cmdVerify(rest, stdout, stderr)
	case "pack":
		return cmdPack(rest, stdout, stderr)
	case "push":
		return cmdPush(rest, stdout, stderr)
	case "fetch":
		return cmdFetch(rest, stdout, stderr)
	case "list":
		return cmdList(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "regctl: unknown command %q\n%s\n", cmd, usage)
	return 2
}

// defaultServer is the registry used when -server is not given.
func defaultServer() string {
	if u := os.Getenv("REGISTRY_URL"); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	return "http://localhost:8080"
}
