package callchain

import (
	"database/sql"
	"fmt"
	"os"
	"sync"
)

type service struct {
	mu   sync.Mutex
	conn *os.File
	db   *sql.DB
}

func (s *service) Shutdown() *service { fmt.Println("shutting down"); return s }
func (s *service) Wait()              {}
func (s *service) Log(msg string)     { fmt.Println(msg) }
func (s *service) Flush() *service    { return s }
func (s *service) Sync() error        { return nil }
func (s *service) Logger() *service   { return s }

func shutdownNow(s *service) {
	defer s.Shutdown().Wait() // want `in defer s.Shutdown\(\).Wait\(\), s.Shutdown\(\) runs now, at the defer statement, and only Wait waits until shutdownNow returns`
	fmt.Println("serving")
}

func flushNow(s *service) {
	defer s.Flush().Sync() // want `s.Flush\(\) runs now`
}

func logNow(s *service) {
	defer s.Flush().Log("done") // want `s.Flush\(\) runs now`
}

func tripleChain(s *service) {
	defer s.Shutdown().Flush().Wait() // want `s.Shutdown\(\).Flush\(\) runs now`
}

func plainFunctionReceiver() {
	defer shutdown().Wait() // want `shutdown\(\) runs now`
}

var global = &service{}

func shutdown() *service { return global.Shutdown() }

func throughField(s *service) {
	defer s.Flush().conn.Close() // want `s.Flush\(\) runs now`
}

func commitNow(tx *sql.Tx) {
	defer tx.Commit().Error() // want `tx.Commit\(\) runs now`
}

func inLiteral(s *service) {
	func() {
		defer s.Shutdown().Wait() // want `until the function literal on line 57 returns`
	}()
}
