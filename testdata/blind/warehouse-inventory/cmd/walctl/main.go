// Command walctl inspects and maintains the stock write-ahead log.
//
//	walctl dump FILE
//	walctl compact [-keep-after SEQ] FILE
//	walctl snapshot FILE OUT
//	walctl grep FILE SKU
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"

	"example.com/inventory/internal/wal"
)

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	switch os.Args[1] {
	case "dump":
		dump(os.Args[2])
	case "compact":
		compact(os.Args[2:])
	case "snapshot":
		if len(os.Args) < 4 {
			usage()
		}
		snapshot(os.Args[2], os.Args[3])
	case "grep":
		if len(os.Args) < 4 {
			usage()
		}
		grep(os.Args[2], os.Args[3])
	default:
		usage()
	}
}

// usage prints the synopsis and exits.
func usage() {
	fmt.Fprintln(os.Stderr, "usage: walctl dump FILE | compact [-keep-after SEQ] FILE | snapshot FILE OUT | grep FILE SKU")
	os.Exit(2)
}

// die prints an error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "walctl: "+format+"\n", args...)
	os.Exit(1)
}

// dump prints every record of the log.
func dump(path string) {
	out := bufio.NewWriter(os.Stdout)
	n, err := wal.Replay(path, func(r wal.Record) error {
		_, err := fmt.Fprintf(out, "%8d %-8s %-6s %-16s %6d\n", r.Seq, r.Op, r.Warehouse, r.SKU, r.Qty)
		return err
	})
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		die("dump %s: %v", path, err)
	}
	fmt.Fprintf(os.Stderr, "%d records\n", n)
}

// compact drops the records up to -keep-after while holding the log's
// maintenance lock file.
func compact(args []string) {
	flags := flag.NewFlagSet("compact", flag.ExitOnError)
	keep := flags.Uint64("keep-after", 0, "drop records with seq <= this")
	flags.Parse(args)
	if flags.NArg() != 1 {
		usage()
	}
	path := flags.Arg(0)
	lock := path + ".lock"
	if err := os.WriteFile(lock, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		die("lock %s: %v", lock, err)
	}
	defer os.Remove(lock)

	if err := wal.Compact(path, *keep); err != nil {
		die("compact %s: %v", path, err) // HAZ exit-skips-defer
	}
	fmt.Fprintf(os.Stderr, "compacted %s\n", path)
}

// snapshot folds the log into per-warehouse on-hand totals and writes them.
func snapshot(path, out string) {
	levels := make(map[string]map[string]int)
	_, err := wal.Replay(path, func(r wal.Record) error {
		if levels[r.Warehouse] == nil {
			levels[r.Warehouse] = make(map[string]int)
		}
		switch r.Op {
		case "receive", "adjust":
			levels[r.Warehouse][r.SKU] += r.Qty
		case "pick":
			levels[r.Warehouse][r.SKU] -= r.Qty
		}
		return nil
	})
	if err != nil {
		die("read %s: %v", path, err)
	}
	if err := wal.WriteSnapshot(out, levels); err != nil {
		die("write %s: %v", out, err)
	}
}

// grep prints the records that touch one SKU.
func grep(path, sku string) {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush() // HAZ defer-close-unchecked-write
	_, err := wal.Replay(path, func(r wal.Record) error {
		if r.SKU == sku {
			fmt.Fprintf(out, "%8d %-8s %-6s %6d\n", r.Seq, r.Op, r.Warehouse, r.Qty)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "walctl: grep %s: %v\n", path, err)
	}
}
