package serving

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/metrics"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	in := Frame{Op: OpPut, ID: 42, Payload: encodePut("user/1/age", []byte("31"), 9)}
	if err := WriteFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadFrame(&buf)
	if err != nil {
		t.Fatal(err)
	}
	key, val, ver, err := decodePut(out.Payload)
	if err != nil || key != "user/1/age" || string(val) != "31" || ver != 9 || out.ID != 42 {
		t.Fatalf("decoded %q %q %d id=%d err=%v", key, val, ver, out.ID, err)
	}
}

func TestFrameTooLarge(t *testing.T) {
	err := WriteFrame(&bytes.Buffer{}, Frame{Op: OpPut, Payload: make([]byte, MaxPayload+1)})
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestServerGetPut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(cache.New(4, time.Minute, nil), nil, metrics.NewRegistry(), nil)
	srv.OnDisconnect = func(net.Conn, error) {}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})

	c, err := Dial(ln.Addr().String(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Put(ctx, "item/7/price", []byte("9.99"), 1); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "item/7/price")
	if err != nil || string(got) != "9.99" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	var re *RemoteError
	if _, err := c.Get(ctx, "item/8/price"); !errors.As(err, &re) {
		t.Fatalf("missing key: err = %v", err)
	}
}
