package protocol

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"time"
)

// ErrUnauthorized is returned by an Authenticator for unknown devices or
// wrong tokens.
var ErrUnauthorized = errors.New("protocol: unauthorized")

// Authenticator decides whether a device may connect.
type Authenticator interface {
	Authenticate(deviceID, token string) error
}

// TokenAuth authenticates devices against a static table of tokens.
type TokenAuth map[string]string

// Authenticate implements Authenticator.
func (a TokenAuth) Authenticate(deviceID, token string) error {
	want, ok := a[deviceID]
	if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(token)) != 1 {
		return ErrUnauthorized
	}
	return nil
}

// ClientHello performs the device side of the handshake on conn. The
// deadline it sets is cleared again before it returns.
func ClientHello(conn net.Conn, h Hello, timeout time.Duration) error {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	defer conn.SetDeadline(time.Time{})
	if err := WriteFrame(conn, Frame{Type: TypeHello, Payload: EncodeHello(h)}); err != nil {
		return fmt.Errorf("protocol: send hello: %w", err)
	}
	fr, err := ReadFrame(conn)
	if err != nil {
		return fmt.Errorf("protocol: read welcome: %w", err)
	}
	switch fr.Type {
	case TypeWelcome:
		return nil
	case TypeDisconnect:
		return fmt.Errorf("protocol: rejected by server (reason %d)", reasonOf(fr))
	default:
		return fmt.Errorf("protocol: unexpected %v frame during handshake", fr.Type)
	}
}

// ServerHello performs the server side of the handshake: it reads the
// device's hello, authenticates it and answers with a welcome, or with a
// disconnect frame when the device is refused.
func ServerHello(conn net.Conn, auth Authenticator, timeout time.Duration) (Hello, error) {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return Hello{}, err
	}
	defer conn.SetDeadline(time.Time{})
	fr, err := ReadFrame(conn)
	if err != nil {
		return Hello{}, err
	}
	if fr.Type != TypeHello {
		return Hello{}, fmt.Errorf("protocol: expected hello, got %v", fr.Type)
	}
	h, err := DecodeHello(fr.Payload)
	if err != nil {
		return Hello{}, err
	}
	if err := auth.Authenticate(h.DeviceID, h.Token); err != nil {
		_ = WriteFrame(conn, Frame{Type: TypeDisconnect, Payload: []byte{ReasonKicked}})
		return Hello{}, fmt.Errorf("protocol: device %q: %w", h.DeviceID, err)
	}
	if err := WriteFrame(conn, Frame{Type: TypeWelcome, Seq: fr.Seq}); err != nil {
		return Hello{}, err
	}
	return h, nil
}

func reasonOf(fr Frame) byte {
	if len(fr.Payload) == 0 {
		return 0
	}
	return fr.Payload[0]
}

// Probe connects to a fleetd device port and performs a handshake, for
// health checks of the device endpoint.
func Probe(addr string, h Hello, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("protocol: probe %s: %w", addr, err)
	}
	return ClientHello(conn, h, timeout)
}
