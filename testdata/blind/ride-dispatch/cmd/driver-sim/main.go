// Command driver-sim connects N fake drivers to dispatchd's line protocol
// and random-walks them around a city centre until interrupted.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/dispatch/internal/geo"
)

func parseCenter(s string) (geo.Point, error) {
	lat, lng, ok := strings.Cut(s, ",")
	if !ok {
		return geo.Point{}, fmt.Errorf("center %q: want lat,lng", s)
	}
	la, err := strconv.ParseFloat(lat, 64)
	if err != nil {
		return geo.Point{}, err
	}
	ln, err := strconv.ParseFloat(lng, 64)
	if err != nil {
		return geo.Point{}, err
	}
	return geo.Point{Lat: la, Lng: ln}, nil
}

// jitter spreads the drivers over roughly 5 km around c.
func jitter(c geo.Point, i int) geo.Point {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	return geo.Point{Lat: c.Lat + (r.Float64()-0.5)*0.09, Lng: c.Lng + (r.Float64()-0.5)*0.14}
}

// step moves a driver about 50 m in a random direction.
func step(p geo.Point) geo.Point {
	return geo.Point{Lat: p.Lat + (rand.Float64()-0.5)*0.0009, Lng: p.Lng + (rand.Float64()-0.5)*0.0014}
}

func logCrash(id string, v any) {
	if v != nil {
		log.Printf("driver %s crashed: %v", id, v)
	}
}

// answerOffers accepts about half the offers a simulated driver receives.
func answerOffers(conn net.Conn, id string) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "OFFER" {
			continue
		}
		verdict := "reject"
		if rand.IntN(2) == 0 {
			verdict = "accept"
		}
		if _, err := fmt.Fprintf(conn, "ACK %s %s\n", f[1], verdict); err != nil {
			log.Printf("driver %s: %v", id, err)
			return
		}
	}
}

func simulate(ctx context.Context, addr, id string, pos geo.Point, every time.Duration) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(conn, "HELLO %s sim-token\nAVAIL 1\n", id); err != nil {
		return err
	}
	go answerOffers(conn, id)

	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			pos = step(pos)
			if _, err := fmt.Fprintf(conn, "LOC %f %f %d\n", pos.Lat, pos.Lng, time.Now().UnixMilli()); err != nil {
				return err
			}
		}
	}
}

// redial opens a fresh connection and says hello.
func redial(ctx context.Context, d *net.Dialer, addr, id string) (net.Conn, error) {
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(conn, "HELLO %s sim-token\nAVAIL 1\n", id); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// loadTrack reads a recorded GPS track, one "lat,lng" per line.
func loadTrack(path string) ([]geo.Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var track []geo.Point
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			p, err := parseCenter(line)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, len(track)+1, err)
			}
			track = append(track, p)
		}
	}
	return track, sc.Err()
}

// replayTrack drives one simulated driver along a recorded track,
// reconnecting when dispatchd drops the connection.
func replayTrack(ctx context.Context, addr, id string, track []geo.Point, every time.Duration) error {
	var d net.Dialer
	conn, err := redial(ctx, &d, addr, id)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for _, p := range track {
		_, err = fmt.Fprintf(conn, "LOC %f %f %d\n", p.Lat, p.Lng, time.Now().UnixMilli())
		if err != nil {
			log.Printf("driver %s: %v, reconnecting", id, err)
			conn, err = redial(ctx, &d, addr, id)
			if err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
	return nil
}

// runDriver keeps one simulated driver connected, reconnecting with backoff.
func runDriver(ctx context.Context, addr, id string, start geo.Point, every time.Duration) {
	defer logCrash(id, recover()) // HAZ recover-ineffective
	backoff := time.Second
	for ctx.Err() == nil {
		if err := simulate(ctx, addr, id, start, every); err != nil {
			log.Printf("driver %s: %v (retry in %s)", id, err, backoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

func main() {
	addr := flag.String("addr", "localhost:7070", "dispatchd driver address")
	n := flag.Int("n", 50, "number of drivers")
	center := flag.String("center", "52.5200,13.4050", "city centre lat,lng")
	every := flag.Duration("every", 2*time.Second, "location update interval")
	trackPath := flag.String("track", "", "replay this GPS track with a single driver instead")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()

	c, err := parseCenter(*center)
	if err != nil {
		log.Fatal(err)
	}
	var track []geo.Point
	if *trackPath != "" {
		if track, err = loadTrack(*trackPath); err != nil {
			log.Fatal(err)
		}
	}
	var stopProfile func()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		stopProfile = func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				log.Printf("cpu profile: %v", err)
			}
		}
	}
	defer stopProfile() // HAZ defer-nil-func
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if track != nil {
		if err := replayTrack(ctx, *addr, "sim-track", track, *every); err != nil {
			log.Printf("track replay: %v", err)
		}
		return
	}

	var wg sync.WaitGroup
	for i := range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runDriver(ctx, *addr, fmt.Sprintf("sim-%04d", i), jitter(c, i), *every)
		}()
	}
	wg.Wait()
	log.Printf("all %d simulated drivers stopped", *n)
}
