package export

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"
)

// memStore is an object store in memory. Like a real one, it keeps an
// object only when the upload's Close commits it, and commitErr makes every
// commit fail.
type memStore struct {
	objects   map[string][]byte
	commitErr error
}

type memUpload struct {
	store  *memStore
	key    string
	buf    bytes.Buffer
	closed bool
}

func (s *memStore) Create(key string) (io.WriteCloser, error) {
	return &memUpload{store: s, key: key}, nil
}

func (u *memUpload) Write(p []byte) (int, error) {
	if u.closed {
		return 0, errors.New("write to a closed upload")
	}
	return u.buf.Write(p)
}

func (u *memUpload) Close() error {
	if u.closed {
		return errors.New("upload already closed")
	}
	u.closed = true
	if u.store.commitErr != nil {
		return u.store.commitErr
	}
	u.store.objects[u.key] = u.buf.Bytes()
	return nil
}

var orders = []Order{
	{ID: "ORD-50211", Customer: "ACME GmbH", Amount: 199990, Currency: "EUR"},
	{ID: "ORD-50212", Customer: "Initech", Amount: 1250, Currency: "USD"},
	{ID: "ORD-50213", Customer: "Tanaka Shoji", Amount: 4500, Currency: "JPY"},
}

const wantCSV = `order_id,customer,amount,currency
ORD-50211,ACME GmbH,1999.90,EUR
ORD-50212,Initech,12.50,USD
ORD-50213,Tanaka Shoji,4500,JPY
`

func TestWriteOrders(t *testing.T) {
	store := &memStore{objects: map[string][]byte{}}
	const key = "exports/orders/2024-06-01.csv.gz"

	if err := WriteOrders(store, key, orders); err != nil {
		t.Fatalf("WriteOrders: %v", err)
	}

	obj, ok := store.objects[key]
	if !ok {
		t.Fatalf("WriteOrders returned nil, but the store has no object %s", key)
	}
	zr, err := gzip.NewReader(bytes.NewReader(obj))
	if err != nil {
		t.Fatalf("object %s: %v", key, err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("object %s: %v", key, err)
	}
	if string(got) != wantCSV {
		t.Errorf("object %s holds\n%s\nwant\n%s", key, got, wantCSV)
	}
}

var errQuotaExceeded = errors.New("storage: bucket quota exceeded")

func TestWriteOrdersFailedCommit(t *testing.T) {
	store := &memStore{objects: map[string][]byte{}, commitErr: errQuotaExceeded}
	const key = "exports/orders/2024-06-02.csv.gz"

	err := WriteOrders(store, key, orders)

	if !errors.Is(err, errQuotaExceeded) {
		t.Errorf("the store could not commit %s, yet WriteOrders returned %v: the job would purge the day's orders from staging", key, err)
	}
}
