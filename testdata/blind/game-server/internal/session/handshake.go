package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"time"

	"example.com/gamesrv/internal/protocol"
)

// ErrBadToken is returned when a Hello carries an invalid token.
var ErrBadToken = errors.New("session: bad token")

// Authenticator checks the token of a Hello.
type Authenticator interface {
	Verify(playerID, token string) error
}

// HMACAuth accepts tokens of the form hex(HMAC-SHA256(secret, playerID)),
// issued by the lobby service.
type HMACAuth struct {
	Secret []byte
}

// Verify implements Authenticator.
func (a HMACAuth) Verify(playerID, token string) error {
	want := hmac.New(sha256.New, a.Secret)
	want.Write([]byte(playerID))
	got, err := hex.DecodeString(token)
	if err != nil || !hmac.Equal(got, want.Sum(nil)) {
		return ErrBadToken
	}
	return nil
}

// Handshake reads and verifies the client's Hello and answers with a
// Welcome, all within timeout.
func Handshake(conn net.Conn, auth Authenticator, sessionID string, tickRate int, timeout time.Duration) (protocol.Hello, error) {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return protocol.Hello{}, err
	}
	defer conn.SetDeadline(time.Time{})

	f, err := protocol.ReadFrame(conn)
	if err != nil {
		return protocol.Hello{}, fmt.Errorf("handshake: %w", err)
	}
	hello, err := protocol.DecodeHello(f)
	if err != nil {
		return protocol.Hello{}, fmt.Errorf("handshake: %w", err)
	}
	if err := auth.Verify(hello.PlayerID, hello.Token); err != nil {
		return protocol.Hello{}, fmt.Errorf("handshake %s: %w", hello.PlayerID, err)
	}
	welcome, err := protocol.Encode(protocol.TypeWelcome, protocol.Welcome{SessionID: sessionID, TickRate: tickRate})
	if err != nil {
		return protocol.Hello{}, err
	}
	if err := protocol.WriteFrame(conn, welcome); err != nil {
		return protocol.Hello{}, fmt.Errorf("handshake: %w", err)
	}
	return hello, nil
}
