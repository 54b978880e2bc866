package proxy

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/tcpproxylb/internal/backend"
	"example.com/tcpproxylb/internal/metrics"
)

// startEcho runs an echo backend that upper-cases lines. It is stopped by
// the test's cleanup, which also waits for its goroutines.
func startEcho(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					io.WriteString(c, strings.ToUpper(sc.Text())+"\n")
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

func startProxy(t *testing.T, backends ...string) (*Server, string) {
	t.Helper()
	weights := make(map[string]int)
	for _, b := range backends {
		weights[b] = 1
	}
	reg := metrics.NewRegistry("test")
	s := NewServer(Config{Name: "t", DialTimeout: time.Second, Logf: t.Logf}, backend.NewPool("t", weights), reg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-errc; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return s, ln.Addr().String()
}

func TestProxyEcho(t *testing.T) {
	_, addr := startProxy(t, startEcho(t))
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "hello\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if line != "HELLO\n" {
		t.Fatalf("got %q", line)
	}
}

func TestProxyHalfClose(t *testing.T) {
	_, addr := startProxy(t, startEcho(t))
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "a\nb\n")
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "A\nB\n" {
		t.Fatalf("got %q", got)
	}
}

func TestProxyManyClients(t *testing.T) {
	_, addr := startProxy(t, startEcho(t), startEcho(t))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			msg := strings.Repeat("x", id+1)
			io.WriteString(c, msg+"\n")
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || line != strings.ToUpper(msg)+"\n" {
				errs <- errors.New("bad echo: " + line)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestDialRaceClosesLosers(t *testing.T) {
	a, b := startEcho(t), startEcho(t)
	c, err := DialRace(context.Background(), []string{a, b}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
