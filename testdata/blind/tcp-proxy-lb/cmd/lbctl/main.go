// Command lbctl talks to lbd's admin API.
//
//	lbctl [-addr host:port] [-token T] <command> [args]
//
// Commands: ping, backends, weight, drain, trip, probe, reload-tls,
// dump-config, push-cert, watch.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type command struct {
	run   func(c *client, args []string) error
	usage string
}

var commands = map[string]command{
	"ping":        {cmdPing, "check that lbd answers"},
	"backends":    {cmdBackends, "list backends of every frontend"},
	"weight":      {cmdWeight, "weight <frontend> <addr> <n>"},
	"drain":       {cmdDrain, "drain <frontend> <addr>"},
	"trip":        {cmdTrip, "trip <frontend> <addr> [reason]"},
	"probe":       {cmdProbe, "probe <frontend> <addr>"},
	"reload-tls":  {cmdReloadTLS, "re-read the TLS certificate"},
	"dump-config": {cmdDumpConfig, "dump-config [-o file]: write backends as config"},
	"push-cert":   {cmdPushCert, "push-cert -cert c.pem -key k.pem -dir /etc/lbd/tls"},
	"watch":       {cmdWatch, "watch [-every 2s]: print backend health until ^C"},
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: lbctl [-addr host:port] [-token T] <command> [args]")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(os.Stderr, "  %-12s %s\n", name, commands[name].usage)
	}
}

// fatalf exits; it is only called before any cleanup has been registered.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "lbctl: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	addr := flag.String("addr", envOr("LBCTL_ADDR", "127.0.0.1:9900"), "admin address")
	token := flag.String("token", os.Getenv("LBCTL_TOKEN"), "admin bearer token")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[flag.Arg(0)]
	if !ok {
		fatalf("unknown command %q", flag.Arg(0))
	}
	c := newClient(*addr, *token)
	if err := cmd.run(c, flag.Args()[1:]); err != nil {
		fatalf("%s: %v", flag.Arg(0), err)
	}
}

func envOr(key, def string) string {
	if v := strings.TrimSpace(os.Getenv(key)); v != "" {
		return v
	}
	return def
}
