package scanner

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"testing"
	"time"
)

func TestParseLine(t *testing.T) {
	now := time.Unix(1700000000, 0)
	tests := []struct {
		line    string
		wantQty int
		wantErr bool
	}{
		{"SCAN hh-07 4006381333931", 1, false},
		{"SCAN hh-07 4006381333931 12", 12, false},
		{"SCAN hh-07 4006381333932", 0, true},
		{"SCAN hh-07", 0, true},
		{"SCAN hh-07 4006381333931 -1", 0, true},
	}
	for _, tt := range tests {
		ev, err := ParseLine(tt.line, now)
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%q: err = %v, want ErrMalformed", tt.line, err)
			}
			continue
		}
		if err != nil || ev.Qty != tt.wantQty {
			t.Errorf("%q: got %+v, %v", tt.line, ev, err)
		}
	}
}

func TestSessionAcksScans(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	var booked []Event
	sess := newSession(server, time.Second, log.New(io.Discard, "", 0))
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer server.Close()
		sess.run(func(ev Event) error {
			booked = append(booked, ev)
			return nil
		})
	}()

	rd := bufio.NewReader(client)
	if _, err := client.Write([]byte("SCAN hh-01 4006381333931 3\r\n")); err != nil {
		t.Fatal(err)
	}
	line, err := rd.ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "OK 1" {
		t.Fatalf("reply = %q, %v", line, err)
	}
	if _, err := client.Write([]byte("QUIT\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := rd.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	<-done
	if len(booked) != 1 || booked[0].Qty != 3 {
		t.Fatalf("booked = %+v", booked)
	}
}
