// Command chatbot is a load generator for chatd: it connects many bots that
// join a room and chat at a fixed rate, measuring delivery latency.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

type config struct {
	addr     string
	statsURL string
	room     string
	bots     int
	rate     time.Duration
	rampUp   time.Duration
	duration time.Duration
	report   string
	check    string
	strict   bool
}

// fatalf prints an error and exits; it never returns.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "chatbot: "+format+"\n", args...)
	os.Exit(1)
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:6667", "chatd address")
	flag.StringVar(&cfg.statsURL, "stats", "http://127.0.0.1:8080/stats", "chatd admin stats URL")
	flag.StringVar(&cfg.room, "room", "#load", "room to join")
	flag.IntVar(&cfg.bots, "bots", 50, "number of bots")
	flag.DurationVar(&cfg.rate, "every", time.Second, "interval between messages per bot")
	flag.DurationVar(&cfg.rampUp, "ramp", 20*time.Millisecond, "delay between bot starts")
	flag.DurationVar(&cfg.duration, "for", 0, "test length (0 = soak until killed)")
	flag.StringVar(&cfg.report, "report", "chatbot-report.txt", "report file")
	flag.StringVar(&cfg.check, "check", "", "comma-separated addresses to probe and exit")
	flag.BoolVar(&cfg.strict, "strict", false, "with -for: one session per bot, no report file")
	flag.Parse()
	if cfg.bots < 1 || cfg.rate <= 0 {
		fatalf("-bots and -every must be positive")
	}
	if !strings.HasPrefix(cfg.room, "#") {
		cfg.room = "#" + cfg.room
	}
	return cfg
}

func main() {
	cfg := parseFlags()
	if cfg.check != "" {
		failed := 0
		for addr, err := range pingAll(strings.Split(cfg.check, ",")) {
			if err != nil {
				fmt.Printf("%s: %v\n", addr, err)
				failed++
			}
		}
		if failed > 0 {
			os.Exit(1)
		}
		return
	}
	if cfg.duration > 0 && cfg.strict {
		fmt.Println(runScenarioChecked(cfg))
		return
	}
	if cfg.duration > 0 {
		runScenario(cfg)
		return
	}

	// Soak mode: run until the operator stops us, then print the summary.
	rec := &Recorder{}
	defer func() { fmt.Println(rec.Summary()) }()
	n := startBots(context.Background(), cfg, rec)
	fmt.Printf("chatbot: %d bots started against %s\n", n, cfg.addr)
	select {} // HAZ signal-skips-defer
}
