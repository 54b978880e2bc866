// Package gateway accepts client order sessions over TCP. Each connection
// has a reader goroutine that decodes and routes orders, and a writer
// goroutine that sends acknowledgements and fills.
package gateway

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"example.com/matching/internal/book"
)

// MsgType is the first field of every wire message.
type MsgType byte

// Message types of the line protocol.
const (
	MsgLogin     MsgType = 'L'
	MsgNew       MsgType = 'N'
	MsgCancel    MsgType = 'C'
	MsgAck       MsgType = 'A'
	MsgReject    MsgType = 'R'
	MsgFill      MsgType = 'F'
	MsgLogout    MsgType = 'O'
	MsgHeartbeat MsgType = 'H'
)

// Message is one protocol message. The wire form is pipe-separated:
//
//	N|account|symbol|B|price|qty|order-id
type Message struct {
	Type    MsgType
	Account string
	Symbol  string
	Side    book.Side
	Price   int64
	Qty     int64
	OrderID uint64
	Text    string
}

// ErrMalformed is returned for lines that do not parse.
var ErrMalformed = errors.New("gateway: malformed message")

const maxLine = 512

func parseSide(s string) (book.Side, error) {
	switch s {
	case "B":
		return book.Buy, nil
	case "S":
		return book.Sell, nil
	}
	return 0, fmt.Errorf("%w: side %q", ErrMalformed, s)
}

// readMessage reads one line from r and parses it.
func readMessage(r *bufio.Reader) (Message, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) || len(line) > maxLine {
			return Message{}, fmt.Errorf("%w: line too long", ErrMalformed)
		}
		return Message{}, err
	}
	return parseMessage(strings.TrimRight(string(line), "\r\n"))
}

func parseMessage(line string) (Message, error) {
	f := strings.Split(line, "|")
	if len(f[0]) != 1 {
		return Message{}, fmt.Errorf("%w: %q", ErrMalformed, line)
	}
	m := Message{Type: MsgType(f[0][0])}
	var err error
	switch m.Type {
	case MsgLogin:
		if len(f) != 3 {
			return m, fmt.Errorf("%w: login", ErrMalformed)
		}
		m.Account, m.Text = f[1], f[2]
	case MsgNew:
		if len(f) != 7 {
			return m, fmt.Errorf("%w: new order", ErrMalformed)
		}
		m.Account, m.Symbol = f[1], f[2]
		if m.Side, err = parseSide(f[3]); err != nil {
			return m, err
		}
		if m.Price, err = strconv.ParseInt(f[4], 10, 64); err != nil {
			return m, fmt.Errorf("%w: price: %v", ErrMalformed, err)
		}
		if m.Qty, err = strconv.ParseInt(f[5], 10, 64); err != nil {
			return m, fmt.Errorf("%w: qty: %v", ErrMalformed, err)
		}
		if m.OrderID, err = strconv.ParseUint(f[6], 10, 64); err != nil {
			return m, fmt.Errorf("%w: id: %v", ErrMalformed, err)
		}
	case MsgCancel:
		if len(f) != 3 {
			return m, fmt.Errorf("%w: cancel", ErrMalformed)
		}
		m.Symbol = f[1]
		if m.OrderID, err = strconv.ParseUint(f[2], 10, 64); err != nil {
			return m, fmt.Errorf("%w: id: %v", ErrMalformed, err)
		}
	case MsgLogout, MsgHeartbeat:
	default:
		return m, fmt.Errorf("%w: type %q", ErrMalformed, f[0])
	}
	return m, nil
}

// writeMessage encodes m onto w; the caller flushes.
func writeMessage(w *bufio.Writer, m Message) error {
	var err error
	switch m.Type {
	case MsgAck, MsgReject:
		_, err = fmt.Fprintf(w, "%c|%s|%d|%s\n", m.Type, m.Symbol, m.OrderID, m.Text)
	case MsgFill:
		_, err = fmt.Fprintf(w, "%c|%s|%d|%d|%d\n", m.Type, m.Symbol, m.OrderID, m.Price, m.Qty)
	default:
		_, err = fmt.Fprintf(w, "%c|%s\n", m.Type, m.Text)
	}
	return err
}

// order converts a new-order message.
func (m Message) order() *book.Order {
	return &book.Order{
		ID:      m.OrderID,
		Account: m.Account,
		Symbol:  m.Symbol,
		Side:    m.Side,
		Price:   m.Price,
		Qty:     m.Qty,
	}
}
