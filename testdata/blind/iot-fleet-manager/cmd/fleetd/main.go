// Command fleetd is the fleet management server: it terminates device
// connections, ingests telemetry, queues commands, drives firmware
// rollouts and serves the operator API.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/fleet/internal/api"
	"example.com/fleet/internal/certs"
	"example.com/fleet/internal/cmdqueue"
	"example.com/fleet/internal/journal"
	"example.com/fleet/internal/lifecycle"
	"example.com/fleet/internal/metrics"
	"example.com/fleet/internal/protocol"
	"example.com/fleet/internal/pubsub"
	"example.com/fleet/internal/session"
	"example.com/fleet/internal/telemetry"
)

type config struct {
	deviceAddr string
	apiAddr    string
	dataDir    string
	certFile   string
	keyFile    string
	tokensFile string
	apiToken   string
	ringSize   int
	flushEvery time.Duration
}

func main() {
	cfg := parseFlags()
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "fleetd:", err)
		os.Exit(2)
	}
	os.Exit(run(cfg))
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.deviceAddr, "device-addr", ":8883", "address for device connections (TLS)")
	flag.StringVar(&c.apiAddr, "api-addr", "127.0.0.1:8080", "address of the operator API")
	flag.StringVar(&c.dataDir, "data", "/var/lib/fleetd", "data directory")
	flag.StringVar(&c.certFile, "cert", "/etc/fleetd/tls.crt", "device-facing certificate")
	flag.StringVar(&c.keyFile, "key", "/etc/fleetd/tls.key", "device-facing key")
	flag.StringVar(&c.tokensFile, "tokens", "/etc/fleetd/devices.txt", "device tokens, one 'id token' per line")
	flag.IntVar(&c.ringSize, "ring", 1<<16, "telemetry ring capacity")
	flag.DurationVar(&c.flushEvery, "flush", 30*time.Second, "telemetry flush interval")
	flag.Parse()
	c.apiToken = os.Getenv("FLEETD_API_TOKEN")
	return c
}

func (c config) validate() error {
	if c.apiToken == "" {
		return errors.New("FLEETD_API_TOKEN must be set")
	}
	if c.ringSize <= 0 {
		return fmt.Errorf("ring capacity %d must be positive", c.ringSize)
	}
	if c.flushEvery < time.Second {
		return fmt.Errorf("flush interval %v is too short", c.flushEvery)
	}
	return nil
}

// loadDeviceTokens reads "device-id token" lines; '#' starts a comment.
func loadDeviceTokens(path string) (protocol.TokenAuth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	auth := make(protocol.TokenAuth)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want 'id token'", path, line)
		}
		auth[fields[0]] = fields[1]
	}
	return auth, sc.Err()
}

// commandSender adapts the session manager to the command queue.
type commandSender struct{ mgr *session.Manager }

func (cs commandSender) SendCommand(ctx context.Context, deviceID string, cmd protocol.Command) error {
	return cs.mgr.SendTo(ctx, deviceID, protocol.Frame{Type: protocol.TypeCommand, Seq: cmd.ID, Payload: protocol.EncodeCommand(cmd)})
}

func closeLogged(logger *log.Logger, name string, c io.Closer) {
	if err := c.Close(); err != nil {
		logger.Printf("close %s: %v", name, err)
	}
}

type services struct {
	reg      *metrics.Registry
	journal  *journal.Journal
	rotator  *certs.Rotator
	ring     *telemetry.Ring
	ingestor *telemetry.Ingestor
	flusher  *telemetry.Flusher
	broker   *pubsub.Broker
	mgr      *session.Manager
	queue    *cmdqueue.Queue
	api      *api.Server
}

func buildServices(cfg config, logger *log.Logger) (*services, error) {
	auth, err := loadDeviceTokens(cfg.tokensFile)
	if err != nil {
		return nil, err
	}
	j, err := journal.Open(filepath.Join(cfg.dataDir, "commands.log"))
	if err != nil {
		return nil, err
	}
	rot, err := certs.NewRotator(cfg.certFile, cfg.keyFile, filepath.Join(cfg.dataDir, "rotate.lock"), logger)
	if err != nil {
		closeLogged(logger, "journal", j)
		return nil, err
	}
	svc := &services{reg: metrics.NewRegistry(), journal: j, rotator: rot, broker: pubsub.NewBroker()}
	svc.ring = telemetry.NewRing(cfg.ringSize)
	svc.ingestor = telemetry.NewIngestor(svc.ring, 4, 4096, svc.reg, logger)
	svc.flusher = telemetry.NewFlusher(svc.ring, filepath.Join(cfg.dataDir, "telemetry"), cfg.flushEvery, true, logger)
	disp := session.NewDispatcher(svc.reg, logger)
	svc.mgr = session.NewManager(session.Config{Logger: logger}, auth, disp)
	svc.queue = cmdqueue.New(commandSender{mgr: svc.mgr}, 30*time.Second, 10000, j)
	wireHandlers(disp, svc)
	svc.api = api.NewServer(api.Deps{
		Sessions: svc.mgr,
		Queue:    svc.queue,
		Ring:     svc.ring,
		Broker:   svc.broker,
		Certs:    svc.rotator,
		Metrics:  svc.reg,
		Journal:  j,
		ImageDir: filepath.Join(cfg.dataDir, "images"),
		Token:    cfg.apiToken,
		Logger:   logger,
	})
	return svc, nil
}

func wireHandlers(disp *session.Dispatcher, svc *services) {
	disp.Handle(protocol.TypeTelemetry, func(s *session.Session, fr protocol.Frame) {
		svc.ingestor.Submit(telemetry.Message{DeviceID: s.ID(), Payload: fr.Payload, Received: time.Now()})
	})
	disp.Handle(protocol.TypeAck, func(s *session.Session, fr protocol.Frame) {
		a, err := protocol.DecodeAck(fr.Payload)
		if err != nil {
			svc.reg.Inc("acks.malformed")
			return
		}
		if !svc.queue.Ack(s.ID(), a) {
			svc.reg.Inc("acks.unmatched")
		}
	})
	disp.Handle(protocol.TypeDisconnect, func(s *session.Session, fr protocol.Frame) {
		svc.reg.Inc("devices.goodbye")
		s.Terminate()
	})
	for _, t := range []protocol.FrameType{protocol.TypeTelemetry, protocol.TypeAck, protocol.TypeDisconnect} {
		topic := "devices/frames/" + t.String()
		disp.After(t, func() { svc.broker.Publish(pubsub.Message{Topic: topic}) })
	}
}

func run(cfg config) int {
	logger := log.New(os.Stderr, "fleetd ", log.LstdFlags|log.Lmicroseconds)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	svc, err := buildServices(cfg, logger)
	if err != nil {
		logger.Printf("startup: %v", err)
		return 1
	}
	defer closeLogged(logger, "journal", svc.journal)

	tlsCfg := &tls.Config{GetCertificate: svc.rotator.GetCertificate, MinVersion: tls.VersionTLS12}
	devLn, err := tls.Listen("tcp", cfg.deviceAddr, tlsCfg)
	if err != nil {
		logger.Printf("listen %s: %v", cfg.deviceAddr, err)
		return 1
	}
	apiSrv := &http.Server{Addr: cfg.apiAddr, Handler: svc.api, ReadHeaderTimeout: 10 * time.Second}

	var wg sync.WaitGroup
	errc := make(chan error, 2) // one slot per listener that can fail
	start := func(fn func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	start(func() {
		if err := svc.mgr.Serve(devLn); err != nil {
			errc <- fmt.Errorf("device listener: %w", err)
		}
	})
	start(func() {
		if err := apiSrv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("operator api: %w", err)
		}
	})
	start(func() { svc.flusher.Run(ctx) })
	start(func() { svc.api.RunAuditor(ctx) })
	start(func() { svc.rotator.Watch(ctx, time.Minute) })
	start(func() { svc.mgr.RunKeepalive(ctx, 30*time.Second, 2*time.Minute, 10*time.Second) })
	svc.ingestor.Start(ctx)
	logger.Printf("serving devices on %s, operators on %s", cfg.deviceAddr, cfg.apiAddr)

	code := 0
	select {
	case <-ctx.Done():
		logger.Printf("shutdown requested")
	case err := <-errc:
		logger.Printf("fatal: %v", err)
		code = 1
	}
	stop()
	if err := shutdown(svc, apiSrv, devLn, logger); err != nil {
		logger.Printf("shutdown: %v", err)
		code = 1
	}
	wg.Wait()
	return code
}

// shutdown stops the components in dependency order within 30 seconds.
func shutdown(svc *services, apiSrv *http.Server, devLn net.Listener, logger *log.Logger) error {
	g := lifecycle.NewGroup(logger)
	g.Add("telemetry", 10*time.Second, func(context.Context) error {
		svc.ingestor.Stop()
		return svc.flusher.FlushNow()
	})
	g.Add("commands", time.Second, func(context.Context) error {
		svc.queue.Close()
		svc.broker.Close()
		return nil
	})
	g.Add("devices", 10*time.Second, func(ctx context.Context) error {
		devLn.Close()
		return svc.mgr.Shutdown(ctx)
	})
	g.Add("api", 10*time.Second, apiSrv.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return g.Shutdown(ctx)
}
