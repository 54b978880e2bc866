// Command dnsctl queries and administers a running dnsd.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

const usageText = `usage: dnsctl COMMAND [flags] [args]

commands:
  query NAME [TYPE]          send a query to the server
  stats                      show server statistics
  flush [NAME]               flush the cache (or one name)
  zone-check FILE ORIGIN     parse a master file and report problems
  zone-edit FILE ORIGIN      edit a master file in $EDITOR under the zone lock
  zone-import SRC ORIGIN     import a master file into the zone directory
  zone-dump ORIGIN OUT.gz    save a gzip-compressed copy of a live zone
  transfer ORIGIN            AXFR a zone from a primary and print it
`

func main() {
	log.SetFlags(0)
	log.SetPrefix("dnsctl: ")
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "query":
		return cmdQuery(rest, stdout, stderr)
	case "stats":
		return cmdStats(rest, stdout, stderr)
	case "flush":
		return cmdFlush(rest, stdout, stderr)
	case "zone-check":
		return cmdZoneCheck(rest, stdout, stderr)
	case "zone-edit":
		return cmdZoneEdit(rest, stderr)
	case "zone-import":
		return cmdZoneImport(rest, stdout)
	case "zone-dump":
		return cmdZoneDump(rest, stderr)
	case "transfer":
		return cmdTransfer(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return 0
	}
	fmt.Fprintf(stderr, "dnsctl: unknown command %q\n\n%s", cmd, usageText)
	return 2
}

// fatalf reports an unrecoverable error and exits.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dnsctl: "+format+"\n", args...)
	os.Exit(1)
}

const defaultAdmin = "unix:/run/dnsd/admin.sock"

// adminEndpoint is dnsd's admin address: DNSCTL_ADMIN, or the default socket.
func adminEndpoint() string {
	if v := os.Getenv("DNSCTL_ADMIN"); v != "" {
		return v
	}
	return defaultAdmin
}

// adminURL returns the admin API URL for path.
func adminURL(path string) string {
	ep := adminEndpoint()
	if strings.HasPrefix(ep, "unix:") {
		return "http://dnsd" + path
	}
	return strings.TrimSuffix(ep, "/") + path
}

// httpClient returns a client for the admin API, dialling the unix socket
// when the endpoint is one.
func httpClient() *http.Client {
	c := &http.Client{Timeout: 10 * time.Second}
	if path, ok := strings.CutPrefix(adminEndpoint(), "unix:"); ok {
		c.Transport = &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", path)
			},
		}
	}
	return c
}
