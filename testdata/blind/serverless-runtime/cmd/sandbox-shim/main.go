// Command sandbox-shim runs inside a warm sandbox. It reads one JSON
// request per line on stdin, runs the selected handler, and writes one
// JSON response per line on stdout. Logs go to stderr, which faasd
// captures through a pipe.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
)

type request struct {
	ID      uint64 `json:"id"`
	Payload []byte `json:"payload,omitempty"`
}

type response struct {
	ID      uint64 `json:"id"`
	Payload []byte `json:"payload,omitempty"`
	Error   string `json:"error,omitempty"`
}

type handlerFunc func(payload []byte) ([]byte, error)

var handlers = map[string]handlerFunc{
	"echo":  echo,
	"upper": upper,
	"wc":    wordCount,
}

func echo(payload []byte) ([]byte, error) { return payload, nil }

func upper(payload []byte) ([]byte, error) {
	if !json.Valid(payload) {
		return bytes.ToUpper(payload), nil
	}
	var v any
	if err := json.Unmarshal(payload, &v); err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, errors.New("upper: payload is not a string")
	}
	return json.Marshal(strings.ToUpper(s))
}

func wordCount(payload []byte) ([]byte, error) {
	words := 0
	inWord := false
	for _, r := range string(payload) {
		if unicode.IsSpace(r) {
			inWord = false
		} else if !inWord {
			inWord = true
			words++
		}
	}
	return []byte(strconv.Itoa(words)), nil
}

// handle runs one request through h.
func handle(h handlerFunc, req request) (resp response) {
	defer recover() // HAZ recover-ineffective
	resp.ID = req.ID
	out, err := h(req.Payload)
	if err != nil {
		resp.Error = err.Error()
		return resp
	}
	resp.Payload = out
	return resp
}

// handleSafe runs one request through h, reporting a panic as an error
// response so that faasd can decide whether to recycle the sandbox.
func handleSafe(h handlerFunc, req request) (resp response) {
	defer func() {
		if v := recover(); v != nil {
			resp = response{ID: req.ID, Error: fmt.Sprintf("panic: %v", v)}
			fmt.Fprintf(os.Stderr, "shim: request %d panicked: %v\n", req.ID, v)
		}
	}()
	return handle(h, req)
}

// serve speaks the protocol until stdin closes.
func serve(in io.Reader, out io.Writer, h handlerFunc) error {
	enc := json.NewEncoder(out)
	if err := enc.Encode(response{}); err != nil {
		return fmt.Errorf("ready: %w", err)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	for sc.Scan() {
		var req request
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			return fmt.Errorf("bad request line: %w", err)
		}
		if err := enc.Encode(handleSafe(h, req)); err != nil {
			return err
		}
	}
	return sc.Err()
}

// oneshot handles a single payload from stdin (FAAS_ONESHOT mode).
func oneshot(h handlerFunc) int {
	payload, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "shim:", err)
		return 1
	}
	resp := handleSafe(h, request{Payload: payload})
	if resp.Error != "" {
		fmt.Fprintln(os.Stderr, "shim:", resp.Error)
		return 1
	}
	if _, err := os.Stdout.Write(resp.Payload); err != nil {
		return 1
	}
	return 0
}

func main() {
	name := os.Getenv("FAAS_HANDLER")
	if name == "" && len(os.Args) > 1 {
		name = os.Args[1]
	}
	h, ok := handlers[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "shim: unknown handler %q\n", name)
		os.Exit(2)
	}
	if os.Getenv("FAAS_ONESHOT") == "1" {
		os.Exit(oneshot(h))
	}
	if pidfile := os.Getenv("FAAS_PIDFILE"); pidfile != "" {
		if err := os.WriteFile(pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "shim:", err)
			os.Exit(1)
		}
		defer os.Remove(pidfile)
	}
	if err := serve(os.Stdin, os.Stdout, h); err != nil {
		fmt.Fprintln(os.Stderr, "shim:", err)
		os.Exit(3) // HAZ exit-skips-defer
	}
}
