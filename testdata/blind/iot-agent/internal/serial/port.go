package serial

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// ErrClosed is returned by operations on a closed port.
var ErrClosed = errors.New("serial: port closed")

// Port is a half-duplex serial line backed by a file.
type Port struct {
	name string
	f    *os.File
	r    *bufio.Reader

	mu      sync.Mutex // serialises writers and request/response exchanges
	timeout time.Duration
	closed  bool
}

// OpenPort opens the device at path for reading and writing.
func OpenPort(path string) (*Port, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("serial: open %s: %w", path, err)
	}
	return &Port{name: path, f: f, r: bufio.NewReader(f), timeout: 2 * time.Second}, nil
}

// Name returns the device path.
func (p *Port) Name() string { return p.name }

// SetTimeout sets the reply timeout used by Command.
func (p *Port) SetTimeout(d time.Duration) {
	p.mu.Lock()
	p.timeout = d
	p.mu.Unlock()
}

// Close releases the device. Closing twice is harmless.
func (p *Port) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	return p.f.Close()
}

// WriteFrame encodes fr and writes it to the line.
func (p *Port) WriteFrame(fr Frame) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.writeLocked(fr)
}

// writeLocked writes fr; the caller holds p.mu.
func (p *Port) writeLocked(fr Frame) error {
	if p.closed {
		return ErrClosed
	}
	if err := p.f.SetWriteDeadline(time.Now().Add(p.timeout)); err != nil && !errors.Is(err, os.ErrNoDeadline) {
		return err
	}
	_, err := p.f.Write(fr.Encode())
	return err
}

// ReadFrame reads one frame from the line.
func (p *Port) ReadFrame() (Frame, error) {
	return DecodeFrame(p.r)
}

// Command sends req and returns the device's reply, holding the line for the
// whole exchange so that replies cannot interleave.
func (p *Port) Command(req Frame) (Frame, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.writeLocked(req); err != nil {
		return Frame{}, err
	}
	resp, err := p.ReadFrame()
	if err != nil {
		return Frame{}, fmt.Errorf("serial: %s: %v: %w", p.name, req, err)
	}
	if !resp.IsReplyTo(req) {
		return Frame{}, fmt.Errorf("serial: %s: unexpected reply %v to %v", p.name, resp, req)
	}
	return resp, nil
}

// Transact is the retrying variant of Command used by the calibration tool.
func (p *Port) Transact(req Frame, attempts int) (Frame, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var lastErr error
	for i := 0; i < attempts; i++ {
		if err := p.WriteFrame(req); err != nil { // HAZ lock-reentry-under-defer
			return Frame{}, err
		}
		resp, err := p.ReadFrame()
		if err == nil && resp.IsReplyTo(req) {
			return resp, nil
		}
		lastErr = err
	}
	return Frame{}, fmt.Errorf("serial: %s: no reply after %d attempts: %v", p.name, attempts, lastErr)
}

// ReadIdent opens path and returns the identification string of the device.
func ReadIdent(path string) (string, error) {
	p, err := OpenPort(path)
	defer p.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	resp, err := p.Command(Frame{Cmd: CmdIdentify})
	if err != nil {
		return "", err
	}
	return string(resp.Payload), nil
}

// Identify is ReadIdent done right: the port is only closed once it is open.
func Identify(path string) (string, error) {
	p, err := OpenPort(path)
	if err != nil {
		return "", err
	}
	defer p.Close()
	resp, err := p.Command(Frame{Cmd: CmdIdentify})
	if err != nil {
		return "", err
	}
	return string(resp.Payload), nil
}

// ProbePorts returns the paths whose device answers an identify request.
func ProbePorts(paths []string) []string {
	var alive []string
	for _, path := range paths {
		p, err := OpenPort(path)
		if err != nil {
			continue
		}
		defer p.Close() // HAZ defer-in-loop
		if _, err := p.Command(Frame{Cmd: CmdIdentify}); err == nil {
			alive = append(alive, path)
		}
	}
	return alive
}

// ScanPorts maps each responsive path to its identification string. Each port is
// closed before the next one is opened.
func ScanPorts(paths []string) map[string]string {
	ids := make(map[string]string)
	for _, path := range paths {
		func() {
			p, err := OpenPort(path)
			if err != nil {
				return
			}
			defer p.Close()
			resp, err := p.Command(Frame{Cmd: CmdIdentify})
			if err == nil {
				ids[path] = string(resp.Payload)
			}
		}()
	}
	return ids
}
