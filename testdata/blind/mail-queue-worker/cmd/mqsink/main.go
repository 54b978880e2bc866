// Command mqsink is a local development sink: it accepts SMTP on -smtp and
// webhooks on -http and logs what it receives, so mqworker can be run end
// to end on a laptop.
package main

import (
	"bufio"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"sync/atomic"
)

type sink struct {
	mails atomic.Int64
	hooks atomic.Int64
	log   *log.Logger
}

func (s *sink) summary() {
	s.log.Printf("received %d mails and %d webhooks", s.mails.Load(), s.hooks.Load())
}

// serveSMTP accepts relay connections for the life of the process.
func (s *sink) serveSMTP(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.log.Printf("accept: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go s.handleSMTP(conn)
	}
}

// handleSMTP speaks just enough SMTP for net/smtp clients.
func (s *sink) handleSMTP(conn net.Conn) {
	tp := textproto.NewConn(conn)
	if err := tp.PrintfLine("220 mqsink ready"); err != nil {
		return
	}
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO", "HELO", "MAIL", "RCPT", "RSET", "NOOP":
			err = tp.PrintfLine("250 ok")
		case "DATA":
			if err = tp.PrintfLine("354 end with <CR><LF>.<CR><LF>"); err != nil {
				return
			}
			body, rerr := io.ReadAll(tp.DotReader())
			if rerr != nil {
				return
			}
			s.mails.Add(1)
			s.log.Printf("mail #%d: %d bytes from %s", s.mails.Load(), len(body), conn.RemoteAddr())
			err = tp.PrintfLine("250 queued")
		case "QUIT":
			_ = tp.PrintfLine("221 bye")
			return
		default:
			err = tp.PrintfLine("502 not implemented")
		}
		if err != nil {
			return
		}
	}
}

func (s *sink) handleHook(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, bufio.NewReader(http.MaxBytesReader(w, r.Body, 1<<20)))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	s.hooks.Add(1)
	s.log.Printf("webhook %s %s: %d bytes, signature %q", r.Header.Get("X-Event"), r.URL.Path, n, r.Header.Get("X-Signature"))
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	smtpAddr := flag.String("smtp", "127.0.0.1:2525", "SMTP listen address")
	httpAddr := flag.String("http", "127.0.0.1:8099", "webhook listen address")
	flag.Parse()
	s := &sink{log: log.New(os.Stdout, "mqsink ", log.Ltime)}

	ln, err := net.Listen("tcp", *smtpAddr)
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	defer s.summary()
	go s.serveSMTP(ln)

	http.HandleFunc("POST /", s.handleHook)
	s.log.Printf("SMTP on %s, webhooks on %s", *smtpAddr, *httpAddr)
	log.Fatal(http.ListenAndServe(*httpAddr, nil)) // HAZ signal-skips-defer exit-skips-defer
}
