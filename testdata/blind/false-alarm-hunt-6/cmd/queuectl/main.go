// Command queuectl inspects and drives the durable job queue:
//
//	queuectl push -payload '{"x":1}'
//	queuectl pop
//	queuectl len
//	queuectl compact
//	queuectl work -exec /usr/local/bin/handler
package main

import (
	"flag"
	"os"

	"example.com/falsealarm6/internal/cli"
)

var journal = "/var/lib/queuectl/journal"

func main() {
	if v := os.Getenv("QUEUECTL_JOURNAL"); v != "" {
		journal = v
	}
	app := cli.NewApp("queuectl")
	app.Register(&cli.Command{Name: "push", Summary: "append an item", Flags: pushFlags, Run: cmdPush})
	app.Register(&cli.Command{Name: "pop", Summary: "remove and print the oldest item", Run: cmdPop})
	app.Register(&cli.Command{Name: "len", Summary: "print the queue length", Run: cmdLen})
	app.Register(&cli.Command{Name: "compact", Summary: "rewrite the journal", Run: cmdCompact})
	app.Register(&cli.Command{Name: "work", Summary: "process items until interrupted", Flags: workFlags, Run: cmdWork})
	os.Exit(app.Run(os.Args[1:]))
}

func pushFlags(fs *flag.FlagSet) {
	fs.String("payload", "", "item payload")
	fs.String("id", "", "item id (default: generated)")
}

func workFlags(fs *flag.FlagSet) {
	fs.String("exec", "", "handler command, gets the payload on stdin")
	fs.Int("batch", 8, "items per batch")
	fs.Duration("idle", 0, "exit after being idle this long (0: never)")
}
