// Command snapctl inspects and maintains the snapshot directory of a game
// server: it lists, diffs, verifies, exports, compacts and restores
// snapshots. Mutating commands take a lock file so that two operators do not
// compact the same directory concurrently.
package main

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"example.com/gamesrv/internal/game"
	"example.com/gamesrv/internal/snapshot"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "inspect":
		err = inspect(args)
	case "diff":
		err = diff(args)
	case "verify":
		err = verify(args)
	case "export":
		err = exportCmd(args)
	case "compact":
		compact(args)
	case "restore":
		restore(args)
	case "archive":
		err = archive(args)
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl %s: %v\n", cmd, err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: snapctl inspect|diff|verify|export|compact|restore|archive [flags] [files]")
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func readSnapshotFile(path string) (game.Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return game.Snapshot{}, err
	}
	defer f.Close()
	return decodeSnapshot(f)
}

func decodeSnapshot(r io.Reader) (game.Snapshot, error) {
	var snap game.Snapshot
	if err := json.NewDecoder(r).Decode(&snap); err != nil {
		return game.Snapshot{}, err
	}
	return snap, nil
}

func inspect(args []string) error {
	if len(args) == 0 {
		return errors.New("no files given")
	}
	for _, path := range args {
		snap, err := readSnapshotFile(path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Printf("%s: match=%s tick=%d phase=%d players=%d taken=%s\n",
			filepath.Base(path), snap.MatchID, snap.Tick, snap.Phase, len(snap.Players), snap.TakenAt.Format("15:04:05"))
	}
	return nil
}

func diff(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: snapctl diff A.json B.json")
	}
	fa, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer fa.Close()
	fb, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer fb.Close()

	a, err := decodeSnapshot(fa)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	b, err := decodeSnapshot(fb)
	if err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}
	printDiff(os.Stdout, a, b)
	return nil
}

func printDiff(w io.Writer, a, b game.Snapshot) {
	fmt.Fprintf(w, "ticks %d -> %d\n", a.Tick, b.Tick)
	ids := make(map[string]bool)
	for _, p := range a.Players {
		ids[p.ID] = true
	}
	for _, p := range b.Players {
		ids[p.ID] = true
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	for _, id := range sorted {
		pa, inA := a.Player(id)
		pb, inB := b.Player(id)
		switch {
		case !inA:
			fmt.Fprintf(w, "+ %s\n", id)
		case !inB:
			fmt.Fprintf(w, "- %s\n", id)
		case pa != pb:
			fmt.Fprintf(w, "~ %s hp %d->%d score %d->%d\n", id, pa.HP, pb.HP, pa.Score, pb.Score)
		}
	}
}

type dirLock struct{ path string }

// acquireDirLock creates an exclusive lock file in dir.
func acquireDirLock(dir string) (*dirLock, error) {
	path := filepath.Join(dir, ".snapctl.lock")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("directory is locked by another snapctl (%s): %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &dirLock{path: path}, nil
}

func (l *dirLock) Release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("snapctl: releasing lock: %v", err)
	}
}

func verify(args []string) error {
	flags := flag.NewFlagSet("verify", flag.ExitOnError)
	dir := flags.String("dir", "data/snapshots", "snapshot directory")
	_ = flags.Parse(args)

	lock, err := acquireDirLock(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	store, err := snapshot.NewStore(*dir, 0, log.Default())
	if err != nil {
		return err
	}
	ids, err := store.Matches()
	if err != nil {
		return err
	}
	var bad []string
	for _, id := range ids {
		if err := store.Scan(id, func(game.Snapshot) error { return nil }); err != nil {
			bad = append(bad, err.Error())
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d corrupt:\n  %s", len(bad), strings.Join(bad, "\n  "))
	}
	fmt.Printf("%d matches ok\n", len(ids))
	return nil
}

func exportCmd(args []string) (err error) {
	flags := flag.NewFlagSet("export", flag.ExitOnError)
	out := flags.String("o", "players.csv", "output CSV")
	_ = flags.Parse(args)
	if flags.NArg() != 1 {
		return errors.New("usage: snapctl export -o OUT.csv SNAPSHOT.json")
	}
	snap, err := readSnapshotFile(flags.Arg(0))
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	for _, p := range snap.Players {
		row := []string{snap.MatchID, p.ID, strconv.Itoa(p.HP), strconv.Itoa(p.Score)}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// compactDir removes all but the newest keep snapshots of every match.
func compactDir(dir string, keep int) (int, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*-*.json"))
	if err != nil {
		return 0, err
	}
	byMatch := make(map[string][]string)
	for _, p := range paths {
		base := filepath.Base(p)
		id := base[:strings.LastIndexByte(base, '-')]
		byMatch[id] = append(byMatch[id], p)
	}
	removed := 0
	for _, files := range byMatch {
		sort.Strings(files)
		for len(files) > keep {
			if err := os.Remove(files[0]); err != nil {
				return removed, err
			}
			removed++
			files = files[1:]
		}
	}
	return removed, nil
}

func compact(args []string) {
	flags := flag.NewFlagSet("compact", flag.ExitOnError)
	dir := flags.String("dir", "data/snapshots", "snapshot directory")
	keep := flags.Int("keep", 5, "snapshots to keep per match")
	_ = flags.Parse(args)

	lock, err := acquireDirLock(*dir)
	if err != nil {
		log.Fatalf("snapctl: %v", err)
	}
	defer lock.Release()
	removed, err := compactDir(*dir, *keep)
	if err != nil {
		log.Fatalf("snapctl: compact %s: %v", *dir, err) // HAZ exit-skips-defer
	}
	fmt.Printf("removed %d snapshot files\n", removed)
}

// restoreInto installs a snapshot file as its match's checkpoint, so that
// the game server resumes from it.
func restoreInto(dir, src string) error {
	snap, err := readSnapshotFile(src)
	if err != nil {
		return err
	}
	store, err := snapshot.NewStore(dir, 0, log.Default())
	if err != nil {
		return err
	}
	return store.Checkpoint(snap)
}

func restore(args []string) {
	flags := flag.NewFlagSet("restore", flag.ExitOnError)
	dir := flags.String("dir", "data/snapshots", "snapshot directory")
	_ = flags.Parse(args)
	if flags.NArg() != 1 {
		die("usage: snapctl restore -dir DIR SNAPSHOT.json")
	}
	lock, err := acquireDirLock(*dir)
	if err != nil {
		die("snapctl: %v", err)
	}
	defer lock.Release()
	if err := restoreInto(*dir, flags.Arg(0)); err != nil {
		die("snapctl: restore %s: %v", flags.Arg(0), err) // HAZ exit-skips-defer
	}
	fmt.Println("restored", flags.Arg(0))
}

// addFile copies one file into the archive.
func addFile(zw *zip.Writer, path string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := zw.Create(filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	return err
}

// archive zips the given snapshot files, for attaching to bug reports.
func archive(args []string) error {
	flags := flag.NewFlagSet("archive", flag.ExitOnError)
	out := flags.String("o", "snapshots.zip", "output archive")
	_ = flags.Parse(args)
	if flags.NArg() == 0 {
		return errors.New("usage: snapctl archive -o OUT.zip FILE...")
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	for _, path := range flags.Args() {
		if err := addFile(zw, path); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
