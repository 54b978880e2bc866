// Command relayctl is the operator's command line for the relay's admin
// endpoint.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	base := flag.String("admin", "http://127.0.0.1:8081", "admin endpoint")
	token := flag.String("token", os.Getenv("RELAY_ADMIN_TOKEN"), "operator token")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(),
			"usage: relayctl [flags] rooms | kick ID [REASON] | announce TEXT | export ROOM FILE")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()
	args := flag.Args()
	if len(args) < 1 {
		flag.Usage()
	}
	c := newClient(*base, *token)
	var err error
	if want := map[string]int{"kick": 2, "announce": 2, "export": 3}[args[0]]; len(args) < want {
		flag.Usage()
	}
	switch args[0] {
	case "rooms":
		err = printRooms(c, os.Stdout)
	case "kick":
		_, err = c.do(http.MethodPost, "/kick", url.Values{"id": {args[1]}, "reason": {strings.Join(args[2:], " ")}})
	case "announce":
		_, err = c.do(http.MethodPost, "/announce", url.Values{"text": {strings.Join(args[1:], " ")}})
	case "export":
		runExport(c, args[1], args[2])
	default:
		flag.Usage()
	}
	if err != nil {
		die("%s: %v", args[0], err)
	}
}

// die prints an error and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "relayctl: "+format+"\n", args...)
	os.Exit(1)
}

type client struct {
	base  string
	token string
	http  *http.Client
}

func newClient(base, token string) *client {
	return &client{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: 15 * time.Second}}
}

// do sends a request and returns the body of a 2xx response.
func (c *client) do(method, path string, form url.Values) ([]byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(b)))
	}
	return b, nil
}

// printRooms prints the room table.
func printRooms(c *client, w io.Writer) error {
	b, err := c.do(http.MethodGet, "/rooms", nil)
	if err != nil {
		return err
	}
	var rooms []struct {
		Name    string `json:"name"`
		Members int    `json:"members"`
		Topic   string `json:"topic"`
	}
	if err := json.Unmarshal(b, &rooms); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROOM\tMEMBERS\tTOPIC")
	for _, r := range rooms {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", r.Name, r.Members, r.Topic)
	}
	return tw.Flush()
}

// runExport saves a room's recent history to dest, through a temporary
// file so that dest is never left half-written.
func runExport(c *client, room, dest string) {
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".relayctl-export-*")
	if err != nil {
		die("export: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := exportTo(c, room, tmp, dest); err != nil {
		die("export %s: %v", room, err) // HAZ exit-skips-defer
	}
}

// exportTo downloads into tmp and renames it to dest.
func exportTo(c *client, room string, tmp *os.File, dest string) error {
	b, err := c.do(http.MethodGet, "/rooms/history?n=1000&room="+url.QueryEscape(room), nil)
	if err != nil {
		tmp.Close()
		return err
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		tmp.Close()
		return err
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(tmp, l); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dest)
}
