// crtctl is the command-line client of crtd.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"example.com/crt/internal/control"
)

var errUsage = errors.New("usage")

type command func(c *control.Client, args []string) error

var commands = map[string]command{
	"create":       cmdCreate,
	"start":        simpleOp("start"),
	"resume":       simpleOp("resume"),
	"kill":         cmdKill,
	"delete":       simpleOp("delete"),
	"list":         cmdList,
	"logs":         cmdLogs,
	"exec":         cmdExec,
	"debug-bundle": cmdDebugBundle,
}

func defaultSocket() string {
	if s := os.Getenv("CRT_SOCKET"); s != "" {
		return s
	}
	return "/run/crt/crtd.sock"
}

func usage() {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "usage: crtctl [-socket path] <%s> [args]\n", strings.Join(names, "|"))
	flag.PrintDefaults()
}

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "crtctl: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	sock := flag.String("socket", defaultSocket(), "crtd control socket")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() < 1 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[flag.Arg(0)]
	if !ok {
		fatalf("unknown command %q", flag.Arg(0))
	}
	c, err := control.Dial(*sock, 5*time.Second)
	if err != nil {
		fatalf("%v", err)
	}
	err = cmd(c, flag.Args()[1:])
	c.Close()
	if errors.Is(err, errUsage) {
		usage()
		os.Exit(2)
	}
	if err != nil {
		fatalf("%s: %v", flag.Arg(0), err)
	}
}
