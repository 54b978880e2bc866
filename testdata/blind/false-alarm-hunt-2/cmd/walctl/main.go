// Command walctl inspects and compacts write-ahead logs.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	"example.com/falsealarm2/cli"
	"example.com/falsealarm2/wal"
)

func main() {
	os.Exit(cli.Main(newRoot())) // ok: Main returns after its own defers ran
}

func newRoot() *cli.Command {
	root := &cli.Command{Use: "walctl", Short: "inspect write-ahead logs"}
	dir := root.Flags().String("dir", "data/wal", "log directory")

	dump := &cli.Command{
		Use:   "dump",
		Short: "print every record",
		Run: func(ctx context.Context, cmd *cli.Command, args []string) error {
			return wal.Replay(*dir, func(seg int, rec []byte) error {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "%08d %q\n", seg, rec)
				return err
			})
		},
	}
	sizes := &cli.Command{
		Use:   "sizes",
		Short: "print segment sizes",
		Run: func(ctx context.Context, cmd *cli.Command, args []string) error {
			m, err := wal.SegmentSizes(*dir)
			if err != nil {
				return err
			}
			rows := make([][]string, 0, len(m))
			for seg, n := range m {
				rows = append(rows, []string{strconv.Itoa(seg), strconv.FormatInt(n, 10)})
			}
			return cli.PrintTable(cmd.OutOrStdout(), []string{"SEGMENT", "BYTES"}, rows)
		},
	}
	compact := &cli.Command{
		Use:   "compact",
		Short: "merge old segments",
		Trace: true,
		Run: func(ctx context.Context, cmd *cli.Command, args []string) error {
			c := wal.NewCompactor(*dir, time.Minute, cmd.Logger())
			return cli.WithSpinner(os.Stderr, "compacting", c.CompactTimed)
		},
	}
	export := &cli.Command{
		Use:    "export",
		Short:  "write a gzip snapshot",
		PreRun: cli.RequireArgs(1),
		Run: func(ctx context.Context, cmd *cli.Command, args []string) error {
			return wal.ExportSnapshotTo(*dir, args[0])
		},
	}
	root.AddCommand(dump, sizes, compact, export)

	flag.Usage = func() {
		root.RenderUsage(os.Stderr)
		os.Exit(2) // ok: inside a function literal used as a callback
	}
	if os.Getenv("WALCTL_DEBUG") != "" {
		root.SetLogger(log.New(os.Stderr, "walctl: ", log.Lmicroseconds))
	}
	return root
}
