package main

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"text/tabwriter"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
	"example.com/dnsresolver/internal/zone"
)

func cmdQuery(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "127.0.0.1:53", "server address")
	useTCP := fs.Bool("tcp", false, "query over TCP")
	timeout := fs.Duration("timeout", 3*time.Second, "query timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 1 {
		fmt.Fprintln(stderr, "query: missing NAME")
		return 2
	}
	t := dnsmsg.TypeA
	if fs.NArg() > 1 {
		var err error
		if t, err = dnsmsg.ParseType(fs.Arg(1)); err != nil {
			fmt.Fprintln(stderr, "query:", err)
			return 2
		}
	}
	network := "udp"
	if *useTCP {
		network = "tcp"
	}
	conn, err := net.DialTimeout(network, *server, *timeout)
	if err != nil {
		fmt.Fprintln(stderr, "query:", err)
		return 1
	}
	defer conn.Close()
	q := dnsmsg.NewQuery(uint16(rand.N(1<<16)), fs.Arg(0), t)
	start := time.Now()
	resp, err := exchange(conn, q, *useTCP, *timeout)
	if err != nil {
		fmt.Fprintln(stderr, "query:", err)
		return 1
	}
	printMsg(stdout, resp, time.Since(start))
	return 0
}

func writeTCPMsg(conn net.Conn, m *dnsmsg.Msg) error {
	b, err := m.AppendPack([]byte{0, 0})
	if err != nil {
		return err
	}
	binary.BigEndian.PutUint16(b, uint16(len(b)-2))
	_, err = conn.Write(b)
	return err
}

func readTCPMsg(conn net.Conn) (*dnsmsg.Msg, error) {
	var lenBuf [2]byte
	if _, err := io.ReadFull(conn, lenBuf[:]); err != nil {
		return nil, err
	}
	buf := make([]byte, binary.BigEndian.Uint16(lenBuf[:]))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return nil, err
	}
	return dnsmsg.Unpack(buf)
}

func exchange(conn net.Conn, q *dnsmsg.Msg, useTCP bool, timeout time.Duration) (*dnsmsg.Msg, error) {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	if useTCP {
		if err := writeTCPMsg(conn, q); err != nil {
			return nil, err
		}
		return readTCPMsg(conn)
	}
	b, err := q.Pack()
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write(b); err != nil {
		return nil, err
	}
	buf := make([]byte, 65535)
	n, err := conn.Read(buf)
	if err != nil {
		return nil, err
	}
	return dnsmsg.Unpack(buf[:n])
}

// cmdTransfer performs a zone transfer and prints the records, like
// "dig AXFR".
func cmdTransfer(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("transfer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "127.0.0.1:53", "primary to transfer from")
	timeout := fs.Duration("timeout", 30*time.Second, "transfer timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: dnsctl transfer [-server ADDR] ORIGIN")
		return 2
	}
	conn, err := net.DialTimeout("tcp", *server, *timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		fmt.Fprintln(stderr, "transfer:", err)
		return 1
	}
	if err := conn.SetDeadline(time.Now().Add(*timeout)); err != nil {
		fmt.Fprintln(stderr, "transfer:", err)
		return 1
	}
	q := dnsmsg.NewQuery(uint16(rand.N(1<<16)), fs.Arg(0), dnsmsg.TypeAXFR)
	q.RecursionDesired = false
	if err := writeTCPMsg(conn, q); err != nil {
		fmt.Fprintln(stderr, "transfer:", err)
		return 1
	}
	records, soas := 0, 0
	for soas < 2 {
		m, err := readTCPMsg(conn)
		if err != nil {
			fmt.Fprintln(stderr, "transfer:", err)
			return 1
		}
		if m.Rcode != dnsmsg.RcodeSuccess {
			fmt.Fprintln(stderr, "transfer: server answered", m.Rcode)
			return 1
		}
		for _, rr := range m.Answer {
			if rr.Type == dnsmsg.TypeSOA {
				soas++
			}
			fmt.Fprintln(stdout, formatRecord(rr))
			records++
		}
	}
	fmt.Fprintf(stderr, ";; %d records transferred\n", records)
	return 0
}

// formatRecord renders one record for display. RDATA comes straight off the
// wire and may be malformed.
func formatRecord(rr dnsmsg.RR) (s string) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	return zone.FormatRR(rr)
}

func printMsg(w io.Writer, m *dnsmsg.Msg, rtt time.Duration) {
	fmt.Fprintf(w, ";; status: %s, id: %d, flags:", m.Rcode, m.ID)
	for _, f := range []struct {
		on   bool
		name string
	}{{m.Response, "qr"}, {m.Authoritative, "aa"}, {m.Truncated, "tc"}, {m.RecursionDesired, "rd"}, {m.RecursionAvailable, "ra"}} {
		if f.on {
			fmt.Fprint(w, " ", f.name)
		}
	}
	fmt.Fprintln(w)
	for _, q := range m.Question {
		fmt.Fprintf(w, ";%s\n", q)
	}
	for _, sec := range []struct {
		name string
		rrs  []dnsmsg.RR
	}{{"ANSWER", m.Answer}, {"AUTHORITY", m.Authority}, {"ADDITIONAL", m.Additional}} {
		if len(sec.rrs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n;; %s SECTION:\n", sec.name)
		for _, rr := range sec.rrs {
			fmt.Fprintln(w, formatRecord(rr))
		}
	}
	fmt.Fprintf(w, "\n;; Query time: %d msec\n", rtt.Milliseconds())
}

func cmdStats(args []string, stdout, stderr io.Writer) int {
	if len(args) != 0 {
		fmt.Fprintln(stderr, "stats: takes no arguments")
		return 2
	}
	resp, err := httpClient().Get(adminURL("/stats"))
	if err != nil {
		fmt.Fprintln(stderr, "stats:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		fmt.Fprintf(stderr, "stats: %s: %s\n", resp.Status, body)
		return 1
	}
	var stats map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		fmt.Fprintln(stderr, "stats:", err)
		return 1
	}
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%v\n", k, stats[k])
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(stderr, "stats:", err)
		return 1
	}
	return 0
}

func cmdFlush(args []string, stdout, stderr io.Writer) int {
	u := adminURL("/cache/flush")
	if len(args) == 1 {
		u += "?name=" + url.QueryEscape(args[0])
	}
	resp, err := httpClient().Post(u, "application/json", nil)
	if err != nil {
		fmt.Fprintln(stderr, "flush:", err)
		return 1
	}
	defer resp.Body.Close()
	var out struct {
		Flushed int `json:"flushed"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		fmt.Fprintln(stderr, "flush:", resp.Status, err)
		return 1
	}
	fmt.Fprintf(stdout, "flushed %d entries\n", out.Flushed)
	return 0
}

func cmdZoneCheck(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: dnsctl zone-check FILE ORIGIN")
		return 2
	}
	z, err := zone.LoadFile(args[0], args[1])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	counts := make(map[dnsmsg.Type]int)
	for _, rr := range z.Records() {
		counts[rr.Type]++
	}
	fmt.Fprintf(stdout, "%s: zone %s serial %d OK\n", args[0], z.Origin, z.Serial())
	for t, n := range counts {
		fmt.Fprintf(stdout, "  %-6s %d\n", t, n)
	}
	return 0
}

// mustLock takes the same lock file that dnsd takes when it writes a zone
// back, and returns the func that releases it.
func mustLock(path string) func() {
	lock := path + ".lock"
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		fatalf("%s is locked (dnsd saving it, or another dnsctl?): %v", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(lock)
		fatalf("lock %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(lock)
		fatalf("lock %s: %v", path, err)
	}
	return func() { os.Remove(lock) }
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func cmdZoneEdit(args []string, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: dnsctl zone-edit FILE ORIGIN")
		return 2
	}
	path, origin := args[0], args[1]
	release := mustLock(path)
	defer release()
	work := path + ".edit"
	if err := copyFile(path, work); err != nil {
		fmt.Fprintln(stderr, "zone-edit:", err)
		return 1
	}
	defer os.Remove(work)

	editor := os.Getenv("EDITOR")
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.Command(editor, work)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "zone-edit: %s: %v\n", editor, err)
		return 1
	}
	z, err := zone.LoadFile(work, origin)
	if err != nil {
		log.Fatalf("zone-edit: edited zone does not parse, not saved: %v", err) // HAZ exit-skips-defer
	}
	if err := zone.WriteFile(z, path); err != nil {
		fmt.Fprintln(stderr, "zone-edit:", err)
		return 1
	}
	fmt.Fprintf(stderr, "zone-edit: %s saved, serial %d\n", path, z.Serial())
	return 0
}

func cmdZoneImport(args []string, stdout io.Writer) int {
	if len(args) != 2 {
		fatalf("usage: dnsctl zone-import SRC ORIGIN")
	}
	src, origin := args[0], args[1]
	dir := os.Getenv("DNSD_ZONES")
	if dir == "" {
		dir = "/etc/dnsd/zones"
	}
	dst := filepath.Join(dir, zone.FileNameFor(origin))
	release := mustLock(dst)
	defer release()
	z, err := zone.LoadFile(src, origin)
	if err != nil {
		fatalf("import %s: %v", src, err) // HAZ exit-skips-defer
	}
	if err := zone.WriteFile(z, dst); err != nil {
		fmt.Fprintln(os.Stderr, "zone-import:", err)
		return 1
	}
	fmt.Fprintf(stdout, "imported %d records into %s\n", len(z.Records()), dst)
	return 0
}

// writeGzip compresses r into a new file at path. The deferred closes run
// gzip first, then the file, and both errors reach the caller.
func writeGzip(path string, r io.Reader) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, r)
	return err
}

func cmdZoneDump(args []string, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: dnsctl zone-dump ORIGIN OUT.gz")
		return 2
	}
	resp, err := httpClient().Get(adminURL("/zones/" + url.PathEscape(args[0])))
	if err != nil {
		fmt.Fprintln(stderr, "zone-dump:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "zone-dump:", resp.Status)
		return 1
	}
	if err := writeGzip(args[1], resp.Body); err != nil {
		fmt.Fprintln(stderr, "zone-dump:", err)
		return 1
	}
	return 0
}
