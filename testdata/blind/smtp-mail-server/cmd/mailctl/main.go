// Command mailctl is the admin CLI of mailsrvd: queue inspection and
// manipulation on the spool, and remote commands through the admin API.
package main

import (
	"fmt"
	"os"
)

const defaultSpool = "/var/spool/mailsrv"

func usage() {
	fmt.Fprintln(os.Stderr, `usage: mailctl <command> [flags]

commands:
  queue      list queued messages
  inspect    print the envelope and body of one message
  requeue    make every deferred message due now
  export     write the queue as CSV
  status     print the daemon's counters
  flush      ask the daemon to run the queue now
  bounce     render the bounce for a message (dry run)
  archive    move messages into a .tar.gz
  probe      list the reachable exchangers of domains
  grep       find queued messages by content
  bundle     write a support bundle (zip)`)
}

// die prints an error and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mailctl: "+format+"\n", args...)
	os.Exit(1)
}

func dispatch(cmd string, args []string) int {
	switch cmd {
	case "queue":
		return cmdQueueList(args)
	case "inspect":
		return cmdInspect(args)
	case "requeue":
		return cmdRequeue(args)
	case "export":
		return cmdExport(args)
	case "status":
		return cmdStatus(args)
	case "flush":
		return cmdFlush(args)
	case "bounce":
		return cmdBounce(args)
	case "archive":
		return cmdArchive(args)
	case "probe":
		return cmdProbe(args)
	case "grep":
		return cmdGrep(args)
	case "bundle":
		return cmdBundle(args)
	case "help", "-h", "--help":
		usage()
		return 0
	default:
		fmt.Fprintf(os.Stderr, "mailctl: unknown command %q\n", cmd)
		usage()
		return 2
	}
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	os.Exit(dispatch(os.Args[1], os.Args[2:]))
}
