// Command fleetctl is the operator CLI for fleetd.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

func usage() {
	fmt.Fprintf(os.Stderr, `usage: fleetctl [flags] command [args]

commands:
  devices                      list connected devices
  send DEVICE NAME [ARGS]      send a command and wait for the ack
  rollout                      show rollout status
  watch [TOPIC]                stream events

flags:
`)
	flag.PrintDefaults()
}

func main() {
	addr := flag.String("addr", envOr("FLEET_API", "http://127.0.0.1:8080"), "fleetd API base URL")
	token := flag.String("token", os.Getenv("FLEET_TOKEN"), "operator token")
	timeout := flag.Duration("timeout", time.Minute, "request timeout")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}
	hist, err := openHistory(historyPath())
	if err != nil {
		log.Fatalf("fleetctl: %v", err)
	}
	defer hist.Close()
	hist.Add(strings.Join(flag.Args(), " "))

	c := newClient(*addr, *token)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := dispatch(ctx, c, flag.Args()); err != nil {
		log.Fatalf("fleetctl: %v", err) // HAZ exit-skips-defer
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func operatorName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func dispatch(ctx context.Context, c *client, args []string) error {
	switch args[0] {
	case "devices":
		devs, err := c.listDevices(ctx)
		if err != nil {
			return err
		}
		return printDevices(os.Stdout, devs)
	case "send":
		if len(args) < 3 {
			return errors.New("send needs DEVICE and NAME")
		}
		res, err := c.sendCommand(ctx, args[1], args[2], strings.Join(args[3:], " "))
		if err != nil {
			return err
		}
		fmt.Printf("%v\n", res)
		return nil
	case "rollout":
		var st map[string]any
		if err := c.do(ctx, "GET", "/v1/rollout", nil, &st); err != nil {
			return err
		}
		fmt.Printf("%v\n", st)
		return nil
	case "start-rollout":
		if len(args) < 2 {
			return errors.New("start-rollout needs PLAN.json")
		}
		c.startRollout(ctx, args[1])
		return nil
	case "watch":
		topic := "#"
		if len(args) > 1 {
			topic = args[1]
		}
		c.watch(context.Background(), topic)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func printDevices(w io.Writer, devs []deviceInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEVICE\tFIRMWARE\tREMOTE\tLAST SEEN")
	for _, d := range devs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s ago\n", d.ID, d.Firmware, d.Remote, time.Since(d.LastSeen).Round(time.Second))
	}
	return tw.Flush()
}

// die prints an error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fleetctl: "+format+"\n", args...)
	os.Exit(1)
}

// watch prints server-sent events until the stream ends.
func (c *client) watch(ctx context.Context, topic string) {
	resp, err := c.stream(ctx, "/v1/events?topic="+url.QueryEscape(topic))
	if err != nil {
		die("watch: %v", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "data: ") {
			fmt.Println(strings.TrimPrefix(line, "data: "))
		}
	}
	if err := sc.Err(); err != nil {
		die("watch: stream broken: %v", err) // HAZ exit-skips-defer
	}
}

// history appends every command line to ~/.fleetctl_history.
type history struct {
	f *os.File
	w *bufio.Writer
}

func historyPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".fleetctl_history"
	}
	return filepath.Join(home, ".fleetctl_history")
}

func openHistory(path string) (*history, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &history{f: f, w: bufio.NewWriter(f)}, nil
}

func (h *history) Add(line string) {
	fmt.Fprintf(h.w, "%s\t%s\n", time.Now().Format(time.RFC3339), line)
}

// Close flushes and closes the history file, warning on failure.
func (h *history) Close() {
	if err := errors.Join(h.w.Flush(), h.f.Close()); err != nil {
		fmt.Fprintf(os.Stderr, "fleetctl: saving history: %v\n", err)
	}
}

// startRollout takes the operator lease on rollouts, submits the plan and
// releases the lease; the lease keeps two operators from starting
// rollouts at the same time.
func (c *client) startRollout(ctx context.Context, planPath string) {
	plan, err := os.ReadFile(planPath)
	if err != nil {
		die("start-rollout: %v", err)
	}
	var lease struct {
		ID string `json:"id"`
	}
	if err := c.do(ctx, "POST", "/v1/leases/rollout", nil, &lease); err != nil {
		die("start-rollout: another operator holds the rollout lease: %v", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.do(ctx, "DELETE", "/v1/leases/rollout/"+lease.ID, nil, nil); err != nil {
			fmt.Fprintf(os.Stderr, "fleetctl: releasing rollout lease %s: %v\n", lease.ID, err)
		}
	}()
	var st map[string]any
	if err := c.do(ctx, "POST", "/v1/rollout/start", json.RawMessage(plan), &st); err != nil {
		log.Fatalf("fleetctl: start-rollout: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("%v\n", st)
}
