// Command sfuctl is the operator CLI for the SFU admin API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"example.com/confsfu/internal/admin"
	"example.com/confsfu/internal/recording"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one sfuctl command and returns the process exit code. All
// cleanup happens in run's defers, before main exits.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sfuctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "http://127.0.0.1:7080", "admin API base URL")
	timeout := fs.Duration("timeout", 10*time.Second, "request timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		usage(stderr)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	c := admin.NewClient(*addr, *timeout)

	var err error
	switch cmd, rest := fs.Arg(0), fs.Args()[1:]; cmd {
	case "rooms":
		err = cmdRooms(ctx, c, stdout)
	case "kick":
		if len(rest) != 2 {
			err = errors.New("usage: sfuctl kick ROOM PARTICIPANT")
			break
		}
		err = c.Kick(ctx, rest[0], rest[1])
	case "close":
		if len(rest) != 1 {
			err = errors.New("usage: sfuctl close ROOM")
			break
		}
		var n int
		if n, err = c.CloseRoom(ctx, rest[0]); err == nil {
			fmt.Fprintf(stdout, "room %s closed, %d participants notified\n", rest[0], n)
		}
	case "probe":
		err = cmdProbe(rest, stdout)
	default:
		usage(stderr)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "sfuctl:", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `usage: sfuctl [-addr URL] COMMAND [ARGS]

commands:
  rooms                      list rooms and participants
  kick ROOM PARTICIPANT      remove a participant
  close ROOM                 tear a room down
  probe SEGMENT...           summarise recorded segments`)
}

func cmdRooms(ctx context.Context, c *admin.Client, out io.Writer) error {
	rooms, err := c.Rooms(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROOM\tPARTICIPANT\tNAME\tSENT\tDROPPED")
	for _, r := range rooms {
		for _, p := range r.Participants {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", r.ID, p.ID, p.Name, p.Sent, p.Dropped)
		}
	}
	return tw.Flush()
}

func cmdProbe(paths []string, out io.Writer) error {
	var failed int
	for _, p := range paths {
		info, err := recording.Probe(p)
		if err != nil {
			fmt.Fprintf(out, "%s: %v\n", p, err)
			failed++
			continue
		}
		fmt.Fprintf(out, "%s: %d packets, %d bytes, seq %d..%d\n", p, info.Packets, info.Bytes, info.FirstSeq, info.LastSeq)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d segments could not be read", failed, len(paths))
	}
	return nil
}
