// Command gossip-ctl talks to the debug endpoint of a running gossipd.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

func main() {
	addr := flag.String("addr", "127.0.0.1:7947", "debug address of a gossipd node")
	flag.Parse()
	if flag.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: gossip-ctl [-addr host:port] members | join ADDR | probe ADDR...")
		os.Exit(2)
	}

	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "gossip-ctl:", err)
		}
	}()

	if err := run(out, *addr, flag.Args()); err != nil {
		die("%s: %v", flag.Arg(0), err) // HAZ exit-skips-defer
	}
}

// die prints the message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gossip-ctl: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}

func run(out io.Writer, addr string, args []string) error {
	switch args[0] {
	case "members":
		return listMembers(out, addr)
	case "join":
		if len(args) != 2 {
			return errors.New("join needs exactly one address")
		}
		return post(out, addr, "join", args[1])
	case "probe":
		if len(args) < 2 {
			return errors.New("probe needs at least one address")
		}
		for _, target := range args[1:] {
			if err := post(out, addr, "probe", target); err != nil {
				return fmt.Errorf("%s: %w", target, err)
			}
		}
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func listMembers(out io.Writer, addr string) error {
	resp, err := client.Get("http://" + addr + "/members")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	var members []struct {
		ID    string `json:"id"`
		Addr  string `json:"addr"`
		State string `json:"state"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&members); err != nil {
		return err
	}
	for _, m := range members {
		fmt.Fprintf(out, "%-20s %-22s %s\n", m.ID, m.Addr, m.State)
	}
	return nil
}

func post(out io.Writer, addr, op, target string) error {
	u := "http://" + addr + "/" + op + "?addr=" + url.QueryEscape(target)
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s: %s", resp.Status, body)
	}
	_, err = out.Write(body)
	return err
}
