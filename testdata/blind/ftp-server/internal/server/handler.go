package server

import (
	"errors"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"example.com/ftpsrv/internal/auth"
	"example.com/ftpsrv/internal/fsys"
	"example.com/ftpsrv/internal/protocol"
	"example.com/ftpsrv/internal/session"
)

// handler is the state of one control connection. It is only touched by
// the session goroutine.
type handler struct {
	srv  *Server
	sess *session.Session
	conn *protocol.Conn
	raw  net.Conn

	pendingUser string
	user        *auth.User
	root        *fsys.Root

	pasv *passiveConn
	rest int64
	allo int64
}

// preLogin lists the commands accepted before authentication.
var preLogin = map[string]bool{"USER": true, "PASS": true, "QUIT": true, "FEAT": true, "SYST": true, "NOOP": true}

// handleConn runs one control connection to completion.
func (s *Server) handleConn(raw net.Conn) {
	defer s.wg.Done()
	defer raw.Close()

	conn := protocol.NewConn(raw)
	sess, err := s.table.Add(conn, raw.RemoteAddr().String())
	if err != nil {
		_ = conn.Reply(protocol.CodeUnavailable, "Too many connections, try again later")
		return
	}
	defer s.table.Remove(sess.ID)

	h := &handler{srv: s, sess: sess, conn: conn, raw: raw}
	defer h.lingerClose() // HAZ defer-blocking-call
	h.serve()
}

// lingerClose half-closes the connection and drains what the client still
// sends, so that the kernel does not answer with a RST that would destroy
// our last reply in flight.
func (h *handler) lingerClose() {
	if tcp, ok := h.raw.(*net.TCPConn); ok {
		_ = tcp.CloseWrite()
	}
	// The idle deadline may already have passed; clear it so the drain
	// below sees the client's remaining bytes.
	_ = h.raw.SetReadDeadline(time.Time{})
	_, _ = io.Copy(io.Discard, h.raw)
}

// serve is the command loop.
func (h *handler) serve() {
	defer h.srv.recoverSession(h.sess)
	defer h.closeData()
	defer h.sess.Counters().Log(h.sess.ID) // HAZ defer-call-chain

	if err := h.conn.Reply(protocol.CodeReady, "%s", h.srv.cfg.Banner); err != nil {
		return
	}
	for {
		cmd, err := h.conn.ReadCommand(h.srv.cfg.IdleTimeout)
		var ne net.Error
		switch {
		case err == nil:
		case errors.As(err, &ne) && ne.Timeout():
			_ = h.conn.Reply(protocol.CodeUnavailable, "Idle timeout, closing control connection")
			return
		case errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed):
			return
		case errors.Is(err, protocol.ErrLineTooLong), errors.Is(err, protocol.ErrEmptyCommand):
			if h.conn.Reply(protocol.CodeSyntax, "Syntax error") != nil {
				return
			}
			continue
		default:
			if h.conn.Reply(protocol.CodeSyntax, "Syntax error: %v", err) != nil {
				return
			}
			continue
		}
		h.sess.MarkActive(time.Now())
		if h.dispatch(cmd) {
			return
		}
	}
}

// recoverSession is deferred by every session: a bug in one command must
// cost one connection, not the server.
func (s *Server) recoverSession(sess *session.Session) {
	r := recover()
	if r == nil {
		return
	}
	log.Printf("ftp: session %s: panic: %v\n%s", sess.ID, r, debug.Stack())
	_ = sess.Conn.Reply(protocol.CodeLocalError, "Internal error, closing connection")
}

// dispatch runs one command and reports whether the session is over.
func (h *handler) dispatch(cmd protocol.Command) (quit bool) {
	if h.user == nil && !preLogin[cmd.Verb] {
		return h.conn.Reply(protocol.CodeNotLoggedIn, "Please login with USER and PASS") != nil
	}
	var err error
	switch cmd.Verb {
	case "USER":
		h.pendingUser, h.user, h.root = cmd.Arg, nil, nil
		err = h.conn.Reply(protocol.CodeNeedPassword, "Password required for %s", cmd.Arg)
	case "PASS":
		err = h.cmdPASS(cmd.Arg)
	case "QUIT":
		_ = h.conn.Reply(protocol.CodeClosing, "Goodbye")
		return true
	case "NOOP":
		err = h.conn.Reply(protocol.CodeOK, "OK")
	case "SYST":
		err = h.conn.Reply(protocol.CodeSystem, "UNIX Type: L8")
	case "FEAT":
		err = h.conn.ReplyLines(211, []string{"Features:", " MLSD", " REST STREAM", " HASH"})
	case "PWD":
		err = h.conn.Reply(protocol.CodePathCreated, "%q is the current directory", h.sess.Cwd())
	case "CWD":
		err = h.cmdCWD(cmd.Arg)
	case "DELE":
		err = h.cmdDELE(cmd.Arg)
	case "REST", "ALLO":
		err = h.cmdOffset(cmd.Verb, cmd.Arg)
	case "PASV":
		err = h.cmdPASV()
	case "RETR":
		err = h.cmdRETR(cmd.Arg)
	case "STOR":
		err = h.cmdSTOR(cmd.Arg)
	case "APPE":
		err = h.cmdAPPE(cmd.Arg)
	case "STOU":
		err = h.cmdSTOU()
	case "LIST":
		err = h.cmdLIST(cmd.Arg)
	case "NLST":
		err = h.cmdNLST(cmd.Arg)
	case "MLSD":
		err = h.cmdMLSD(cmd.Arg)
	case "HASH":
		err = h.cmdHASH(cmd.Arg)
	case "STAT":
		err = h.cmdSTAT(cmd.Arg)
	default:
		err = h.conn.Reply(protocol.CodeNotImpl, "Command %s not implemented", cmd.Verb)
	}
	if err != nil {
		log.Printf("ftp: session %s: %s: control connection: %v", h.sess.ID, cmd.Verb, err)
		return true
	}
	return false
}

// cmdPASS authenticates the user named by the previous USER.
func (h *handler) cmdPASS(pass string) error {
	name := h.pendingUser
	h.pendingUser = ""
	if name == "" {
		return h.conn.Reply(protocol.CodeBadSequence, "Login with USER first")
	}
	u, err := h.srv.users.Authenticate(name, pass)
	if err != nil {
		time.Sleep(time.Second) // slow down password guessing
		return h.conn.Reply(protocol.CodeNotLoggedIn, "Login incorrect")
	}
	root, err := fsys.NewRoot(u.Home)
	if err != nil {
		log.Printf("ftp: user %s: home %s: %v", u.Name, u.Home, err)
		return h.conn.Reply(protocol.CodeNotLoggedIn, "Home directory unavailable")
	}
	if err := h.srv.quotas.SetLimit(u.Name, u.Quota); err != nil {
		return h.conn.Reply(protocol.CodeNotLoggedIn, "Account misconfigured")
	}
	h.user, h.root = u, root
	h.sess.Login(u.Name)
	return h.conn.Reply(protocol.CodeLoggedIn, "User %s logged in", u.Name)
}

// resolve maps a client path to host and virtual paths.
func (h *handler) resolve(p string) (host, virtual string, err error) {
	return h.root.Resolve(h.sess.Cwd(), p)
}

// errText turns file system errors into short, non-revealing replies.
func errText(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	case errors.Is(err, fsys.ErrOutsideRoot):
		return "Permission denied"
	case errors.Is(err, fsys.ErrIsDir):
		return "Is a directory"
	default:
		return "Requested action not taken"
	}
}

func (h *handler) cmdCWD(arg string) error {
	host, virt, err := h.resolve(arg)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	fi, err := os.Stat(host)
	if err != nil || !fi.IsDir() {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s: not a directory", virt)
	}
	h.sess.Chdir(virt)
	return h.conn.Reply(protocol.CodeFileOK, "Directory changed to %s", virt)
}

func (h *handler) cmdDELE(arg string) error {
	if h.user.ReadOnly {
		return h.conn.Reply(protocol.CodeFileUnavail, "Permission denied")
	}
	host, virt, err := h.resolve(arg)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	fi, err := os.Stat(host)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	if err := os.Remove(host); err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	if fi.Mode().IsRegular() {
		_ = h.srv.quotas.Commit(h.user.Name, 0, -fi.Size())
	}
	return h.conn.Reply(protocol.CodeFileOK, "%s deleted", virt)
}

// cmdOffset handles REST (restart offset) and ALLO (size announcement).
func (h *handler) cmdOffset(verb, arg string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
	if err != nil || n < 0 {
		return h.conn.Reply(protocol.CodeBadArgs, "%s needs a non-negative number", verb)
	}
	if verb == "REST" {
		h.rest = n
		return h.conn.Reply(protocol.CodePending, "Restarting at %d", n)
	}
	h.allo = n
	return h.conn.Reply(protocol.CodeOK, "ALLO %d bytes noted", n)
}
