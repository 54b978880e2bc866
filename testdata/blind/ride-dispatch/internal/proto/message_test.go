package proto

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"testing"
	"time"

	"example.com/dispatch/internal/geo"
)

func TestParseLine(t *testing.T) {
	cases := []struct {
		in      string
		kind    Kind
		wantErr bool
	}{
		{"HELLO d42 tok", KindHello, false},
		{"LOC 52.52 13.405 1700000000000", KindLoc, false},
		{"LOC 952.52 13.405 1700000000000", 0, true},
		{"AVAIL 1", KindAvail, false},
		{"AVAIL yes", 0, true},
		{"ACK o-1 accept", KindAck, false},
		{"ACK o-1 maybe", 0, true},
		{"PING", KindPing, false},
		{"", 0, true},
		{"JUMP", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			msg, err := ParseLine(tc.in)
			if tc.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if msg.Kind != tc.kind {
				t.Fatalf("kind = %v, want %v", msg.Kind, tc.kind)
			}
		})
	}
}

func TestFormatOffer(t *testing.T) {
	got := FormatOffer("o-1", "t-9", geo.Point{Lat: 1.5, Lng: -2.25}, 1250, 15*time.Second)
	want := "OFFER o-1 t-9 1.500000,-2.250000 1250 15000"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestOfferRoundTrip(t *testing.T) {
	grid := geo.NewGrid(0.01, 2)
	srv := NewServer(grid, log.New(io.Discard, "", 0), Options{MaxConns: 4})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go srv.Serve(ln)

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "HELLO d1 secret\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	go func() {
		line, err := r.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "OFFER") {
			return
		}
		id := strings.Fields(line)[1]
		io.WriteString(conn, "ACK "+id+" accept\n")
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var ok bool
	for ctx.Err() == nil {
		ok, err = srv.SendOffer(ctx, "d1", "o-1", "OFFER o-1 t-1 0,0 100 1000")
		if !errors.Is(err, ErrOffline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil || !ok {
		t.Fatalf("SendOffer = %v, %v; want true, nil", ok, err)
	}
}
