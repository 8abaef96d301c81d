// Package importer applies the nightly inventory feed, one row per item and
// warehouse, to the stock table that the storefront reads.
package importer

import (
	"fmt"
	"io"
	"strconv"
	"sync"
)

// Level is a log level. Production runs at LevelInfo; an operator switches a
// process to LevelDebug while chasing an incident.
type Level int

const (
	LevelDebug Level = iota
	LevelInfo
	LevelError
)

// Logger is the service's leveled logger.
type Logger struct {
	level Level
	mu    sync.Mutex
	out   io.Writer
	line  []byte // guarded by mu: the line being written
}

// NewLogger returns a Logger that writes the messages at level and above.
func NewLogger(out io.Writer, level Level) *Logger {
	return &Logger{level: level, out: out}
}

// Enabled reports whether messages at level are written.
func (l *Logger) Enabled(level Level) bool { return level >= l.level }

// Debugf writes a debug message, or nothing when debug logging is off.
func (l *Logger) Debugf(format string, args ...any) {
	if !l.Enabled(LevelDebug) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.out, "DEBUG "+format+"\n", args...)
}

// debugApply writes Apply's debug line for row, or nothing when debug
// logging is off. Its arguments are plain integers: nothing is boxed, so a
// call with debug logging off costs a comparison.
func (l *Logger) debugApply(row Row) {
	if !l.Enabled(LevelDebug) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := append(l.line[:0], "DEBUG apply item="...)
	b = strconv.AppendInt(b, row.Item, 10)
	b = append(b, " warehouse="...)
	b = strconv.AppendInt(b, int64(row.Warehouse), 10)
	b = append(b, " qty="...)
	b = strconv.AppendInt(b, int64(row.Qty), 10)
	b = append(b, '\n')
	l.line = b
	l.out.Write(b)
}

// Row is one line of the feed.
type Row struct {
	Item      int64
	Warehouse int
	Qty       int
}

type stockKey struct {
	item      int64
	warehouse int
}

// Stock is the on-hand quantity of every item in every warehouse.
type Stock struct {
	log *Logger
	mu  sync.Mutex
	qty map[stockKey]int
}

// NewStock returns an empty stock table that logs to log.
func NewStock(log *Logger) *Stock {
	return &Stock{log: log, qty: make(map[stockKey]int)}
}

// Apply runs once per row of the feed: about two million times a night.
func (s *Stock) Apply(row Row) error {
	s.log.debugApply(row)
	if row.Qty < 0 {
		return fmt.Errorf("importer: negative quantity %d for item %d in warehouse %d", row.Qty, row.Item, row.Warehouse)
	}
	s.mu.Lock()
	s.qty[stockKey{row.Item, row.Warehouse}] = row.Qty
	s.mu.Unlock()
	return nil
}

// Qty returns the on-hand quantity of item in warehouse.
func (s *Stock) Qty(item int64, warehouse int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.qty[stockKey{item, warehouse}]
}
