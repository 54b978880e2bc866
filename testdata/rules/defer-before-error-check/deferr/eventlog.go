package deferr

import (
	"net"
	"os"
)

// A zerolog-style event logger: Fatal() starts an event that exits the process at Msg.
type event struct{ fatal bool }

type eventLogger struct{}

func (eventLogger) Fatal() *event { return &event{fatal: true} }
func (eventLogger) Info() *event  { return &event{} }

func (e *event) Err(err error) *event { return e }

func (e *event) Msg(msg string) {
	if e.fatal {
		os.Exit(1)
	}
}

var logger eventLogger

// The fatal event ends the failure path: the defer only runs on a listener that exists.
func listenUDP(addr *net.UDPAddr) {
	conn, err := net.ListenUDP("udp", addr)
	if err != nil {
		logger.Fatal().Err(err).Msg("listen UDP")
	}
	defer func() { _ = conn.Close() }()
	_, _ = conn.Write([]byte("ready"))
}

// An info event goes on: conn is nil on the failure path. Reported.
func listenUDPQuiet(addr *net.UDPAddr) {
	conn, err := net.ListenUDP("udp", addr)
	if err != nil {
		logger.Info().Err(err).Msg("listen UDP")
	}
	defer func() { _ = conn.Close() }() // want `conn from net\.ListenUDP on line \d+ is used by the deferred function literal before err is checked`
	_, _ = conn.Write([]byte("ready"))
}
