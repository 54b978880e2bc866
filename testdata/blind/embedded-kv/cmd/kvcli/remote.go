package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/ekv/client"
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func addrFlag(fs *flag.FlagSet) *string {
	return fs.String("addr", envOr("KVD_ADDR", "127.0.0.1:7379"), "kvd address")
}

func connect(addr string) (*client.Client, error) {
	return client.Dial(addr, 3*time.Second)
}

func cmdGet(args []string) error {
	fs := flag.NewFlagSet("get", flag.ExitOnError)
	addr := addrFlag(fs)
	fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: kvcli get KEY")
	}
	c, err := connect(*addr)
	if err != nil {
		return err
	}
	defer c.Close()

	v, ok, err := c.Get(fs.Arg(0))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s: not found", fs.Arg(0))
	}
	_, err = os.Stdout.Write(append(v, '\n'))
	return err
}

func cmdSet(args []string) error {
	fs := flag.NewFlagSet("set", flag.ExitOnError)
	addr := addrFlag(fs)
	fs.Parse(args)
	if fs.NArg() != 2 {
		return errors.New("usage: kvcli set KEY VALUE")
	}
	c, err := connect(*addr)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Set(fs.Arg(0), []byte(fs.Arg(1)))
}

func cmdDel(args []string) error {
	fs := flag.NewFlagSet("del", flag.ExitOnError)
	addr := addrFlag(fs)
	fs.Parse(args)
	if fs.NArg() == 0 {
		return errors.New("usage: kvcli del KEY...")
	}
	c, err := connect(*addr)
	if err != nil {
		return err
	}
	defer c.Close()
	n, err := c.Del(fs.Args()...)
	if err != nil {
		return err
	}
	fmt.Printf("deleted %d\n", n)
	return nil
}

func cmdScan(args []string) error {
	fs := flag.NewFlagSet("scan", flag.ExitOnError)
	addr := addrFlag(fs)
	limit := fs.Int("limit", 100, "maximum pairs")
	fs.Parse(args)
	prefix := ""
	if fs.NArg() > 0 {
		prefix = fs.Arg(0)
	}
	c, err := connect(*addr)
	if err != nil {
		return err
	}
	defer c.Close()
	pairs, err := c.Scan(prefix, *limit)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	for _, p := range pairs {
		fmt.Fprintf(w, "%s\t%s\n", strconv.Quote(string(p[0])), strconv.Quote(string(p[1])))
	}
	return w.Flush()
}

// cmdPing measures raw protocol round trips without the client library.
func cmdPing(args []string) error {
	fs := flag.NewFlagSet("ping", flag.ExitOnError)
	addr := addrFlag(fs)
	count := fs.Int("n", 3, "number of pings")
	timeout := fs.Duration("timeout", 2*time.Second, "dial and read timeout")
	fs.Parse(args)

	conn, err := net.DialTimeout("tcp", *addr, *timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("ping %s: %w", *addr, err)
	}
	br := bufio.NewReader(conn)
	for i := 0; i < *count; i++ {
		start := time.Now()
		conn.SetDeadline(start.Add(*timeout))
		if _, err := conn.Write([]byte("PING\r\n")); err != nil {
			return err
		}
		line, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.TrimSpace(line) != "+PONG" {
			return fmt.Errorf("unexpected reply %q", line)
		}
		fmt.Printf("pong from %s: time=%v\n", *addr, time.Since(start).Round(time.Microsecond))
	}
	return nil
}

// cmdBench runs GET/SET load from several clients and prints latency
// percentiles.
func cmdBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	addr := addrFlag(fs)
	clients := fs.Int("c", 8, "concurrent clients")
	ops := fs.Int("n", 10000, "operations per client")
	fs.Parse(args)

	lat := make([][]time.Duration, *clients)
	errs := make(chan error, *clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			c, err := connect(*addr)
			if err != nil {
				errs <- err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			defer c.Close()
			for j := 0; j < *ops; j++ {
				key := fmt.Sprintf("bench:%d:%d", id, j%1000)
				t0 := time.Now()
				if j%4 == 0 {
					err = c.Set(key, []byte("x"))
				} else {
					_, _, err = c.Get(key)
				}
				if err != nil {
					errs <- err
					return
				}
				lat[id] = append(lat[id], time.Since(t0))
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	printLatencies(lat, elapsed)
	return nil
}

func printLatencies(lat [][]time.Duration, elapsed time.Duration) {
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		fmt.Println("no operations completed")
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration { return all[int(float64(len(all)-1)*p)] }
	fmt.Printf("%d ops in %v (%.0f ops/s)\n", len(all), elapsed.Round(time.Millisecond), float64(len(all))/elapsed.Seconds())
	fmt.Printf("p50=%v p90=%v p99=%v max=%v\n", pct(0.5), pct(0.9), pct(0.99), all[len(all)-1])
}

// cmdDump streams a prefix from the server as TSV on stdout.
func cmdDump(args []string) error {
	fs := flag.NewFlagSet("dump", flag.ExitOnError)
	addr := addrFlag(fs)
	fs.Parse(args)
	c, err := connect(*addr)
	if err != nil {
		return err
	}
	defer c.Close()

	w := bufio.NewWriter(os.Stdout)
	n, err := c.Dump(fs.Arg(0), func(k, v []byte) error {
		_, err := fmt.Fprintf(w, "%s\t%s\n", escape(k), escape(v))
		return err
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d pairs\n", n)
	return nil
}

// cmdWatch redraws the server's STATS output until interrupted.
func cmdWatch(args []string) error {
	fs := flag.NewFlagSet("watch", flag.ExitOnError)
	addr := addrFlag(fs)
	every := fs.Duration("every", 2*time.Second, "refresh interval")
	fs.Parse(args)

	for {
		c, err := connect(*addr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "watch: %v\n", err)
			time.Sleep(*every)
			continue
		}
		defer c.Close() // HAZ defer-in-infinite-loop

		stats, err := c.Stats()
		if err != nil {
			fmt.Fprintf(os.Stderr, "watch: %v\n", err)
		} else {
			fmt.Print("\033[H\033[2J" + time.Now().Format(time.TimeOnly) + "\n" + stats)
		}
		time.Sleep(*every)
	}
}

// cmdHealth queries the admin API's health endpoint.
func cmdHealth(args []string) error {
	fs := flag.NewFlagSet("health", flag.ExitOnError)
	admin := fs.String("admin", envOr("KVD_ADMIN", "127.0.0.1:7380"), "kvd admin address")
	fs.Parse(args)

	hc := &http.Client{Timeout: 3 * time.Second}
	resp, err := hc.Get("http://" + *admin + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("unhealthy: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Println("ok")
	return nil
}
