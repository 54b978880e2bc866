// Command replaytool inspects, converts and merges replay files.
//
//	replaytool [-cpuprofile f] info FILE
//	replaytool [-cpuprofile f] csv FILE OUT
//	replaytool merge OUT FILE...
//	replaytool bundle OUT.zip FILE...
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"example.com/matchmaker/internal/replay"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: replaytool [-cpuprofile f] info FILE | csv FILE OUT | merge OUT FILE... | bundle OUT.zip FILE...")
	flag.PrintDefaults()
}

// die prints a message and exits; it never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "replaytool: "+format+"\n", args...)
	os.Exit(1)
}

// startProfile starts CPU profiling into path. The returned stop func is
// never nil: without a path it is a no-op.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("replaytool: close profile: %v", err)
		}
	}, nil
}

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() < 2 {
		usage()
		os.Exit(2)
	}
	switch flag.Arg(0) {
	case "merge":
		cmdMerge(flag.Arg(1), flag.Args()[2:])
		return
	case "bundle":
		cmdBundle(flag.Arg(1), flag.Args()[2:])
		return
	}

	stop, err := startProfile(*cpuprofile)
	if err != nil {
		log.Fatalf("replaytool: profile: %v", err)
	}
	defer stop()

	switch cmd := flag.Arg(0); cmd {
	case "info":
		err = info(flag.Arg(1))
	case "csv":
		if flag.NArg() != 3 {
			err = fmt.Errorf("csv needs FILE and OUT")
			break
		}
		err = convertCSV(flag.Arg(1), flag.Arg(2))
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		log.Fatalf("replaytool: %v", err) // HAZ exit-skips-defer
	}
}

func info(path string) error {
	r, err := replay.Load(path)
	if err != nil {
		return err
	}
	h := r.Header
	fmt.Printf("lobby:    %s\nregion:   %s\nstarted:  %s\nplayers:  %v\nframes:   %d\nduration: %s\n",
		h.LobbyID, h.Region, h.Started.Format(time.RFC3339), h.Players, len(r.Frames), r.Duration(30))
	return nil
}

func convertCSV(in, out string) error {
	r, err := replay.Load(in)
	if err != nil {
		return err
	}
	return replay.ExportCSV(out, r)
}

// fileLock is an exclusive lock file next to the merge output.
type fileLock struct{ path string }

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid())); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path}, nil
}

func (l *fileLock) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("replaytool: remove lock: %v", err)
	}
}

// cmdMerge merges replay files into one archive while holding a lock file,
// so two merges never write the same archive.
func cmdMerge(out string, inputs []string) {
	if len(inputs) == 0 {
		die("merge: no input files")
	}
	lock, err := acquireLock(out + ".lock")
	if err != nil {
		die("merge: %v", err)
	}
	defer lock.release()

	replays, err := replay.LoadAll(inputs)
	if err != nil {
		die("merge: %v", err) // HAZ exit-skips-defer
	}
	if err := replay.WriteArchive(out, replays); err != nil {
		fmt.Fprintf(os.Stderr, "replaytool: merge: %v\n", err)
		return
	}
	fmt.Printf("merged %d replays into %s\n", len(replays), out)
}

// cmdBundle zips replay files for a bug report, under the same lock file
// as merge.
func cmdBundle(out string, inputs []string) {
	lock, err := acquireLock(out + ".lock")
	if err != nil {
		die("bundle: %v", err)
	}
	defer lock.release()
	if err := replay.BundleZip(out, inputs); err != nil {
		fmt.Fprintf(os.Stderr, "replaytool: bundle: %v\n", err)
		os.Exit(3) // HAZ exit-skips-defer
	}
	fmt.Printf("bundled %d replays into %s\n", len(inputs), out)
}
