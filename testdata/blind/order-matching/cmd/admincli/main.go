// Command admincli is the operator's command-line client for the matchd
// admin API and the gateway's line protocol.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"text/tabwriter"
	"time"

	"example.com/matching/internal/book"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("admincli", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("admin", "http://127.0.0.1:9090", "admin API base URL")
	gw := fs.String("gateway", "127.0.0.1:9000", "gateway address for raw commands")
	operator := fs.String("operator", os.Getenv("USER"), "operator name for the audit trail")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: admincli [flags] depth SYMBOL | halt | resume | freeze ACCOUNT REASON | raw LINE...")
		return 2
	}
	var err error
	switch cmd := fs.Arg(0); cmd {
	case "depth":
		var d book.Depth
		if err = fetch(*base+"/depth?symbol="+url.QueryEscape(fs.Arg(1)), &d); err == nil {
			printDepth(stdout, d)
		}
	case "halt", "resume":
		err = post(*base+"/"+cmd, *operator)
	case "freeze":
		err = post(*base+"/freeze?account="+url.QueryEscape(fs.Arg(1))+"&reason="+url.QueryEscape(fs.Arg(2)), *operator)
	case "raw":
		if err = sendCommand(*gw, fs.Args()[1:]); err == nil {
			fmt.Fprintf(stdout, "sent %d line(s)\n", fs.NArg()-1)
		}
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintf(stderr, "admincli: %v\n", err)
		return 1
	}
	return 0
}

// fetch GETs url and decodes the JSON body into v.
func fetch(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// post sends an empty POST with the operator header.
func post(url, operator string) error {
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Operator", operator)
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return errors.New(resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// sendCommand logs in to the gateway as an operator session and sends raw
// protocol lines (cancels, logouts) without waiting for replies.
func sendCommand(addr string, lines []string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	if _, err := bw.WriteString("L|OPS|viewer\n"); err != nil {
		return err
	}
	for _, line := range lines {
		if _, err := fmt.Fprintf(bw, "%s\n", line); err != nil {
			return err
		}
	}
	return nil
}

func printDepth(w io.Writer, d book.Depth) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tbid qty\tbid\task\task qty\t\n", d.Symbol)
	for i := 0; i < max(len(d.Bids), len(d.Asks)); i++ {
		var bq, bp, ap, aq string
		if i < len(d.Bids) {
			bq, bp = fmt.Sprint(d.Bids[i].Qty), fmt.Sprint(d.Bids[i].Price)
		}
		if i < len(d.Asks) {
			ap, aq = fmt.Sprint(d.Asks[i].Price), fmt.Sprint(d.Asks[i].Qty)
		}
		fmt.Fprintf(tw, "\t%s\t%s\t%s\t%s\t\n", bq, bp, ap, aq)
	}
	_ = tw.Flush()
}
