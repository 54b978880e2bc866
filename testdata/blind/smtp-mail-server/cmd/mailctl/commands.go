package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"example.com/mailsrv/internal/bounce"
	"example.com/mailsrv/internal/spool"
)

func openSpool(fs *flag.FlagSet, args []string) (*spool.Spool, *flag.FlagSet) {
	dir := fs.String("spool", defaultSpool, "spool directory")
	if err := fs.Parse(args); err != nil {
		os.Exit(2)
	}
	sp, err := spool.Open(*dir)
	if err != nil {
		die("%v", err)
	}
	return sp, fs
}

// cmdQueueList prints the queued envelopes as a table.
func cmdQueueList(args []string) int {
	sp, _ := openSpool(flag.NewFlagSet("queue", flag.ContinueOnError), args)
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintln(tw, "ID\tFROM\tRCPTS\tATTEMPTS\tNEXT TRY\tLAST ERROR")
	ids, err := sp.List()
	if err != nil {
		die("list: %v", err) // HAZ exit-skips-defer
	}
	for _, id := range ids {
		env, err := sp.ReadEnvelope(id)
		if err != nil {
			fmt.Fprintf(os.Stderr, "mailctl: %s: %v\n", id, err)
			continue
		}
		from := env.From
		if from == "" {
			from = "<>"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", env.ID, from, len(env.To), env.Attempts,
			env.NextTry.Format(time.DateTime), env.LastError)
	}
	return 0
}

// cmdInspect prints the envelope and the body of one message.
func cmdInspect(args []string) int {
	sp, fs := openSpool(flag.NewFlagSet("inspect", flag.ContinueOnError), args)
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mailctl inspect [-spool dir] <id>")
		return 2
	}
	id := fs.Arg(0)
	env, err := sp.ReadEnvelope(id)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	fmt.Printf("From: <%s>\nTo: %s\nReceived: %s\nAttempts: %d\n\n", env.From,
		strings.Join(env.To, ", "), env.Received.Format(time.RFC1123Z), env.Attempts)
	body, err := sp.OpenBody(id)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	defer body.Close()
	if _, err := io.Copy(os.Stdout, body); err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	return 0
}

// cmdRequeue makes every deferred message due now. It holds the spool lock
// so that a running queue runner does not rewrite the same envelopes.
func cmdRequeue(args []string) int {
	sp, _ := openSpool(flag.NewFlagSet("requeue", flag.ContinueOnError), args)
	lk, err := acquireLock(sp.Dir())
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	defer lk.Release()
	ids, err := sp.List()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	n := 0
	for _, id := range ids {
		env, err := sp.ReadEnvelope(id)
		if err != nil || env.NextTry.IsZero() {
			continue
		}
		env.NextTry = time.Time{}
		if err := sp.WriteEnvelope(env); err != nil {
			log.Fatalf("mailctl: requeue %s: %v", id, err) // HAZ exit-skips-defer
		}
		n++
	}
	fmt.Printf("%d messages requeued\n", n)
	return 0
}

// cmdExport writes the queue as CSV to -o.
func cmdExport(args []string) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("o", "queue.csv", "output file")
	sp, _ := openSpool(fs, args)
	envs, err := sp.LoadAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"id", "from", "to", "received", "attempts", "last_error"}); err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	for _, env := range envs {
		rec := []string{env.ID, env.From, strings.Join(env.To, " "), env.Received.Format(time.RFC3339),
			strconv.Itoa(env.Attempts), env.LastError}
		if err := cw.Write(rec); err != nil {
			fmt.Fprintln(os.Stderr, "mailctl:", err)
			return 1
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	return 0
}

// cmdStatus prints the daemon's counters.
func cmdStatus(args []string) int {
	resp, err := newAdminClient().get("/metrics")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl: daemon not reachable:", err)
		return 1
	}
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "mailctl:", resp.Status)
		return 1
	}
	if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	return 0
}

// cmdFlush asks the daemon to run the queue now.
func cmdFlush(args []string) int {
	resp, err := newAdminClient().post("/flush")
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl: daemon not reachable:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		fmt.Fprintf(os.Stderr, "mailctl: flush refused: %s %s\n", resp.Status, strings.TrimSpace(string(msg)))
		return 1
	}
	fmt.Println("queue run requested")
	return 0
}

// cmdBounce renders the bounce that message <id> would produce, to -o or
// standard output.
func cmdBounce(args []string) int {
	fs := flag.NewFlagSet("bounce", flag.ContinueOnError)
	out := fs.String("o", "", "write to file instead of standard output")
	reason := fs.String("reason", "550 5.1.1 user unknown", "diagnostic to include")
	sp, fs := openSpool(fs, args)
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mailctl bounce [-o file] <id>")
		return 2
	}
	env, err := sp.ReadEnvelope(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	orig, err := os.ReadFile(sp.BodyPath(env.ID))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	host, _ := os.Hostname()
	g := &bounce.Generator{Hostname: host, Postmaster: "postmaster@" + host, MaxExcerpt: 4096}
	msg, err := g.Build(bounce.Failure{ID: env.ID, From: env.From, Rcpt: strings.Join(env.To, ", "),
		Reason: *reason, Permanent: true, Arrived: env.Received}, orig, time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	if *out == "" {
		_, err = os.Stdout.Write(msg)
	} else {
		err = bounce.WriteFile(*out, msg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailctl:", err)
		return 1
	}
	return 0
}
