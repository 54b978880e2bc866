// Command snapshotctl saves, verifies and prints object snapshots.
//
//	snapshotctl save    <objects-dir> <snapshot>
//	snapshotctl verify  <snapshot>
//	snapshotctl print   <snapshot>
package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/source"
	"example.com/fah31/internal/status"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: snapshotctl save <objects-dir> <snapshot> | verify <snapshot> | print <snapshot>")
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("snapshotctl: ")
	if len(os.Args) < 3 {
		usage()
		os.Exit(2)
	}
	switch os.Args[1] {
	case "save":
		if len(os.Args) != 4 {
			usage()
			os.Exit(2)
		}
		os.Exit(save(os.Args[2], os.Args[3]))
	case "verify":
		verify(os.Args[2])
	case "print":
		if err := printSnapshot(os.Args[2]); err != nil {
			log.Fatal(err)
		}
	default:
		usage()
		os.Exit(2)
	}
}

// fileLock is an exclusive lock file next to the snapshot.
type fileLock struct{ path string }

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s is locked by another snapshotctl", path)
	}
	if err != nil {
		return nil, err
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()))
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path}, nil
}

// Release removes the lock file.
func (l *fileLock) Release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("release %s: %v", l.path, err)
	}
}

// save returns an exit code instead of exiting, so its defers always run.
func save(dir, path string) int {
	lock, err := acquireLock(path + ".lock")
	if err != nil {
		log.Print(err)
		return 1
	}
	defer lock.Release()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	objs, err := source.NewDir(dir, time.Second).List(ctx)
	if err != nil {
		log.Printf("list %s: %v", dir, err)
		return 1
	}
	if err := status.WriteSnapshot(path, objs); err != nil {
		log.Printf("write %s: %v", path, err)
		return 1
	}
	log.Printf("saved %d objects to %s", len(objs), path)
	return 0
}

// verify checks that every object in the snapshot has a valid key.
func verify(path string) {
	lock, err := acquireLock(path + ".lock")
	if err != nil {
		log.Fatal(err)
	}
	defer lock.Release()
	objs, err := status.ReadSnapshot(path)
	if err != nil {
		log.Fatalf("read %s: %v", path, err) // HAZ exit-skips-defer
	}
	bad := 0
	for _, o := range objs {
		if _, _, err := api.SplitKey(api.KeyOf(o)); err != nil {
			log.Printf("invalid object: %v", err)
			bad++
		}
	}
	log.Printf("%s: %d objects, %d invalid", path, len(objs), bad)
}

// printSnapshot lists objects; it has no defers of its own and its caller
// exits only after it has returned.
func printSnapshot(path string) error {
	objs, err := status.ReadSnapshot(path)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tGENERATION\tPHASE")
	for _, o := range objs {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", api.KeyOf(o), o.Generation, o.Status.Phase)
	}
	return tw.Flush()
}
