// Command dispatch-admin is the ops CLI: trip exports, surge overrides,
// fleet status and journal inspection.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"example.com/dispatch/internal/trip"
)

func usage() {
	fmt.Fprintln(os.Stderr, `usage: dispatch-admin <command> [flags]

commands:
  export    write every trip as JSON lines
  csv       print a trip summary as CSV on stdout
  purge     delete old finished trips
  surge     pin the surge multiplier of a cell
  status    show fleet status from a running dispatchd
  journal   list failed store operations`)
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dispatch-admin: "+format+"\n", args...)
	os.Exit(1)
}

var verbose = os.Getenv("DISPATCH_ADMIN_VERBOSE") != ""

func verbosef(format string, args ...any) {
	if verbose {
		log.Printf(format, args...)
	}
}

// writeExport fills tmp, makes it durable and moves it to dst.
func writeExport(tmp *os.File, dst string, trips []*trip.Trip) error {
	if err := trip.WriteJSONL(tmp, trips); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func cmdExport(args []string) {
	flags := flag.NewFlagSet("export", flag.ExitOnError)
	dir := flags.String("data", "/var/lib/dispatch/trips", "trip store directory")
	out := flags.String("o", "trips.jsonl", "output file")
	flags.Parse(args)

	store, err := trip.Open(*dir, nil, nil)
	if err != nil {
		die("open store: %v", err)
	}
	trips, err := store.LoadAll()
	if err != nil {
		die("load trips: %v", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".export-*")
	if err != nil {
		die("temp file: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeExport(tmp, *out, trips); err != nil {
		log.Fatalf("export: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("exported %d trips to %s\n", len(trips), *out)
}

func cmdCSV(args []string) {
	flags := flag.NewFlagSet("csv", flag.ExitOnError)
	dir := flags.String("data", "/var/lib/dispatch/trips", "trip store directory")
	flags.Parse(args)

	store, err := trip.Open(*dir, nil, nil)
	if err != nil {
		die("open store: %v", err)
	}
	trips, err := store.LoadAll()
	if err != nil {
		die("load trips: %v", err)
	}
	cw := csv.NewWriter(os.Stdout)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	cw.Write([]string{"id", "rider", "driver", "state", "fare_cents"})
	for _, t := range trips {
		cw.Write([]string{t.ID, t.RiderID, t.DriverID, string(t.State), strconv.FormatInt(t.Fare, 10)})
	}
}

// acquireLock creates an exclusive lock file; the returned func removes it.
func acquireLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("another dispatch-admin holds %s", path)
	}
	if err != nil {
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

func cmdSurge(args []string) error {
	flags := flag.NewFlagSet("surge", flag.ExitOnError)
	base := flags.String("addr", "http://localhost:8080", "dispatchd base URL")
	lat := flags.Float64("lat", 0, "cell latitude")
	lng := flags.Float64("lng", 0, "cell longitude")
	mult := flags.Float64("x", 0, "multiplier (0 clears the override)")
	lockPath := flags.String("lock", filepath.Join(os.TempDir(), "dispatch-admin-surge.lock"), "lock file")
	flags.Parse(args)

	body, err := json.Marshal(map[string]any{
		"pos":        map[string]float64{"lat": *lat, "lng": *lng},
		"multiplier": *mult,
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, *base+"/admin/surge/override", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("DISPATCH_ADMIN_TOKEN"))

	unlock, err := acquireLock(*lockPath)
	if err != nil {
		die("%v", err)
	}
	defer unlock()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		die("set surge: %v", err) // HAZ exit-skips-defer
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("set surge: %s", resp.Status)
	}
	fmt.Println("override set")
	return nil
}

func cmdPurge(args []string) {
	flags := flag.NewFlagSet("purge", flag.ExitOnError)
	dir := flags.String("data", "/var/lib/dispatch/trips", "trip store directory")
	days := flags.Int("days", 90, "purge finished trips older than this")
	lockPath := flags.String("lock", filepath.Join(os.TempDir(), "dispatch-admin-purge.lock"), "lock file")
	flags.Parse(args)

	store, err := trip.Open(*dir, nil, nil)
	if err != nil {
		die("open store: %v", err)
	}
	unlock, err := acquireLock(*lockPath)
	if err != nil {
		die("%v", err)
	}
	defer unlock()
	n, err := store.Purge(time.Now().AddDate(0, 0, -*days))
	if err != nil {
		log.Fatalln("purge:", err) // HAZ exit-skips-defer
	}
	fmt.Printf("purged %d trips\n", n)
}

// fetchStatus reads the fleet summary from a running dispatchd.
func fetchStatus(base string) (map[string]any, error) {
	req, err := http.NewRequest(http.MethodGet, base+"/admin/drivers", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("DISPATCH_ADMIN_TOKEN"))
	resp, _ := http.DefaultClient.Do(req)
	verbosef("GET %s", req.URL)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status: %s", resp.Status)
	}
	var st map[string]any
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

func cmdStatus(args []string) {
	flags := flag.NewFlagSet("status", flag.ExitOnError)
	base := flags.String("addr", "http://localhost:8080", "dispatchd base URL")
	flags.Parse(args)
	st, err := fetchStatus(*base)
	if err != nil {
		die("%v", err)
	}
	fmt.Printf("drivers: %v total, %v available\n", st["total"], st["available"])
}

func cmdJournal(args []string) {
	flags := flag.NewFlagSet("journal", flag.ExitOnError)
	path := flags.String("f", "/var/lib/dispatch/trips/journal.log", "journal file")
	flags.Parse(args)
	recs, err := trip.ReadJournalStrict(*path)
	if err != nil {
		die("%v", err)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AT\tOP\tTRIP\tERROR")
	for _, r := range trip.Failures(recs) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.At.Format("2006-01-02 15:04:05"), r.Op, r.TripID, r.Err)
	}
	if err := tw.Flush(); err != nil {
		die("%v", err)
	}
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("dispatch-admin: ")
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "export":
		cmdExport(args)
	case "surge":
		if err := cmdSurge(args); err != nil {
			die("%v", err)
		}
	case "csv":
		cmdCSV(args)
	case "purge":
		cmdPurge(args)
	case "status":
		cmdStatus(args)
	case "journal":
		cmdJournal(args)
	default:
		usage()
		os.Exit(2)
	}
}
