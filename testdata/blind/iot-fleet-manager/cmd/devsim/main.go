// Command devsim simulates a fleet of devices against fleetd for load and
// soak tests on the loopback interface.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/fleet/internal/protocol"
	"example.com/fleet/internal/telemetry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8883", "fleetd device address")
	n := flag.Int("n", 50, "number of simulated devices")
	every := flag.Duration("every", 5*time.Second, "telemetry interval")
	caFile := flag.String("ca", "", "CA bundle that signed fleetd's certificate")
	token := flag.String("token", "sim", "token used by every simulated device")
	replayFile := flag.String("replay", "", "replay frames recorded in this file with one device and exit")
	flag.Parse()

	tlsCfg, err := loadTLS(*caFile)
	if err != nil {
		log.Fatalf("devsim: %v", err)
	}
	if *replayFile != "" {
		frames, err := loadRecording(*replayFile)
		if err != nil {
			log.Fatalf("devsim: %v", err)
		}
		if err := newDevice("replay-0001", *token, *every, tlsCfg).replay(*addr, frames); err != nil {
			log.Fatalf("devsim: replay: %v", err)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("devsim: starting %d devices against %s", *n, *addr)
	runFleet(ctx, *addr, *n, *every, *token, tlsCfg)
	log.Printf("devsim: stopped")
}

func loadTLS(caFile string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificates in %s", caFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// runFleet runs n devices until ctx is done.
func runFleet(ctx context.Context, addr string, n int, every time.Duration, token string, tlsCfg *tls.Config) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := newDevice(fmt.Sprintf("sim-%04d", i), token, every, tlsCfg)
			d.runForever(ctx, addr)
		}()
	}
	wg.Wait()
}

type device struct {
	id      string
	token   string
	every   time.Duration
	tlsCfg  *tls.Config
	rnd     *rand.Rand
	writeMu sync.Mutex
}

func newDevice(id, token string, every time.Duration, tlsCfg *tls.Config) *device {
	return &device{id: id, token: token, every: every, tlsCfg: tlsCfg, rnd: rand.New(rand.NewSource(time.Now().UnixNano()))}
}

// runForever reconnects with exponential backoff until ctx is done.
func (d *device) runForever(ctx context.Context, addr string) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := d.session(ctx, addr)
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("%s: %v (retrying in %v)", d.id, err, backoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, time.Minute)
	}
}

// session runs one connection to fleetd.
func (d *device) session(ctx context.Context, addr string) error {
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, d.tlsCfg)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("dial %s: %w", addr, err)
	}
	hello := protocol.Hello{DeviceID: d.id, Token: d.token, Firmware: "sim-1.0"}
	if err := protocol.ClientHello(conn, hello, 5*time.Second); err != nil {
		return err
	}
	return d.loop(ctx, conn)
}

// loop runs the reader and the telemetry sender until either fails.
func (d *device) loop(ctx context.Context, conn net.Conn) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2)
	go func() { errc <- d.readCommands(conn) }()
	go func() { errc <- d.sendTelemetry(ctx, conn) }()
	go d.keepAlive(conn, 30*time.Second)
	err := <-errc
	cancel()
	conn.Close()
	<-errc
	return err
}

func (d *device) send(conn net.Conn, fr protocol.Frame) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	if err := conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	return protocol.WriteFrame(conn, fr)
}

// readCommands answers pings and acknowledges commands.
func (d *device) readCommands(conn net.Conn) error {
	for {
		fr, err := protocol.ReadFrame(conn)
		if err != nil {
			return err
		}
		switch fr.Type {
		case protocol.TypePing:
			err = d.send(conn, protocol.Frame{Type: protocol.TypePong, Seq: fr.Seq})
		case protocol.TypeCommand:
			cmd, derr := protocol.DecodeCommand(fr.Payload)
			if derr != nil {
				continue
			}
			ack := protocol.Ack{CommandID: cmd.ID, Status: protocol.AckOK}
			if rand.Intn(50) == 0 {
				ack.Status, ack.Message = protocol.AckFailed, "simulated failure"
			}
			err = d.send(conn, protocol.Frame{Type: protocol.TypeAck, Seq: fr.Seq, Payload: protocol.EncodeAck(ack)})
		case protocol.TypeDisconnect:
			return errors.New("disconnected by server")
		}
		if err != nil {
			return err
		}
	}
}

func (d *device) sendTelemetry(ctx context.Context, conn net.Conn) error {
	t := time.NewTicker(d.every)
	defer t.Stop()
	var seq uint32
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case now := <-t.C:
			seq++
			payload := telemetry.EncodeSamples(d.readSensors(now))
			if err := d.send(conn, protocol.Frame{Type: protocol.TypeTelemetry, Seq: seq, Payload: payload}); err != nil {
				return err
			}
		}
	}
}

func (d *device) readSensors(now time.Time) []telemetry.Sample {
	return []telemetry.Sample{
		{Metric: "temp_c", Value: 20 + d.rnd.NormFloat64()*2, At: now},
		{Metric: "rssi_dbm", Value: -60 - d.rnd.Float64()*30, At: now},
		{Metric: "battery_v", Value: 3.3 + d.rnd.Float64()*0.9, At: now},
	}
}

// replay sends frames recorded from a real device, in one burst, on a
// fresh connection; used to reproduce protocol bugs.
func (d *device) replay(addr string, frames []protocol.Frame) error {
	conn, err := tls.Dial("tcp", addr, d.tlsCfg)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	if err := protocol.ClientHello(conn, protocol.Hello{DeviceID: d.id, Token: d.token, Firmware: "replay"}, 5*time.Second); err != nil {
		return err
	}
	for _, fr := range frames {
		if err := protocol.WriteFrame(bw, fr); err != nil {
			return err
		}
	}
	return nil
}

// loadRecording reads frames captured with a tap on a device connection.
func loadRecording(path string) ([]protocol.Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var frames []protocol.Frame
	for {
		fr, err := protocol.ReadFrame(br)
		if errors.Is(err, io.EOF) {
			return frames, nil
		}
		if err != nil {
			return nil, err
		}
		frames = append(frames, fr)
	}
}

// keepAlive pings the server every interval; a watchdog closes the
// connection when a ping cannot be written within two intervals.
func (d *device) keepAlive(conn net.Conn, every time.Duration) {
	var seq uint32
	for {
		watchdog := time.AfterFunc(2*every, func() { conn.Close() })
		defer watchdog.Stop() // HAZ defer-in-infinite-loop
		seq++
		if err := d.send(conn, protocol.Frame{Type: protocol.TypePing, Seq: seq}); err != nil {
			log.Printf("%s: keepalive: %v", d.id, err)
		}
		time.Sleep(every)
	}
}
