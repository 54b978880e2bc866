// Command campaignctl inspects and maintains campaign archives.
//
//	campaignctl list
//	campaignctl manifest CAMPAIGN
//	campaignctl prune -older 2160h
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"example.com/newsletter/internal/archive"
	"example.com/newsletter/internal/obs"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one subcommand and returns the process exit code. All
// cleanup is deferred here, where it runs before main exits.
func run(args []string, stdout, stderr io.Writer) int {
	defer obs.Region("campaignctl")()
	fs := flag.NewFlagSet("campaignctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("archive", "/var/lib/newsletter/archive", "archive directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: campaignctl [-archive DIR] list|manifest|prune ...")
		return 2
	}
	a := archive.NewArchiver(*dir)
	var err error
	switch cmd, rest := fs.Arg(0), fs.Args()[1:]; cmd {
	case "list":
		err = cmdList(a, stdout)
	case "manifest":
		err = cmdManifest(a, rest, stdout)
	case "prune":
		err = cmdPrune(a, rest, stdout)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintf(stderr, "campaignctl: %v\n", err)
		return 1
	}
	return 0
}

func cmdList(a *archive.Archiver, stdout io.Writer) error {
	ids, err := a.List()
	if err != nil {
		return err
	}
	for _, id := range ids {
		fmt.Fprintln(stdout, id)
	}
	return nil
}

func cmdManifest(a *archive.Archiver, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("manifest needs exactly one campaign id")
	}
	m, err := a.ReadManifest(args[0])
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "campaign\t%s\n", m.CampaignID)
	fmt.Fprintf(tw, "sent\t%s\n", m.SentAt.Format(time.RFC1123))
	fmt.Fprintf(tw, "recipients\t%d\n", len(m.Recipients))
	return tw.Flush()
}

func cmdPrune(a *archive.Archiver, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("prune", flag.ContinueOnError)
	older := fs.Duration("older", 90*24*time.Hour, "remove archives older than this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := a.Prune(*older)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %d files\n", n)
	return nil
}
