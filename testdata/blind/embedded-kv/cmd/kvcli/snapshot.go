package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"sort"

	"example.com/ekv/kv"
)

// cmdSnapInfo prints the header and size of a snapshot file.
func cmdSnapInfo(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: kvcli snapinfo SNAPSHOT")
	}
	path := args[0]
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()

	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("%s: not a gzip snapshot: %w", path, err)
	}
	var keyBytes, valBytes int64
	h, n, err := kv.ReadSnapshot(zr, func(k, v []byte) error {
		keyBytes += int64(len(k))
		valBytes += int64(len(v))
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("%s\n  txid:    %d\n  created: %s\n  pairs:   %d\n  keys:    %d bytes\n  values:  %d bytes\n",
		path, h.TxID, h.Created.Format("2006-01-02 15:04:05"), n, keyBytes, valBytes)
	return nil
}

// readKeyHashes reads a gzip snapshot into key -> hash(value).
func readKeyHashes(r io.Reader) (map[string]uint64, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out := make(map[string]uint64)
	_, _, err = kv.ReadSnapshot(zr, func(k, v []byte) error {
		h := fnv.New64a()
		h.Write(v)
		out[string(k)] = h.Sum64()
		return nil
	})
	return out, err
}

// cmdDiff compares two snapshots and prints added, removed and changed keys.
func cmdDiff(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: kvcli diff SNAPSHOT_A SNAPSHOT_B")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	a, err := readKeyHashes(f)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}

	f, err = os.Open(args[1])
	if err != nil {
		return err
	}
	b, err := readKeyHashes(f)
	if err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}

	var lines []string
	for k, ha := range a {
		hb, ok := b[k]
		switch {
		case !ok:
			lines = append(lines, "- "+escape([]byte(k)))
		case ha != hb:
			lines = append(lines, "~ "+escape([]byte(k)))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			lines = append(lines, "+ "+escape([]byte(k)))
		}
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i][2:] < lines[j][2:] })
	w := bufio.NewWriter(os.Stdout)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	return w.Flush()
}

// cmdDumpGz writes the pairs with a prefix as gzip-compressed TSV.
func cmdDumpGz(args []string) error {
	fs := flag.NewFlagSet("dumpgz", flag.ExitOnError)
	prefix := fs.String("prefix", "", "only keys with this prefix")
	fs.Parse(args)
	if fs.NArg() != 2 {
		return errors.New("usage: kvcli dumpgz [-prefix P] FILE OUT.gz")
	}
	db, err := openDB(fs.Arg(0), true)
	if err != nil {
		return err
	}
	defer db.Close()

	f, err := os.Create(fs.Arg(1))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()

	bw := bufio.NewWriter(zw)
	err = db.ForEach([]byte(*prefix), func(k, v []byte) error {
		_, err := fmt.Fprintf(bw, "%s\t%s\n", escape(k), escape(v))
		return err
	})
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
