// The cluster parsers on recorded replies: CLUSTER SHARDS and CLUSTER SLOTS as Redis 7.0.15
// sent them to Weir (RESP2, as Weir's connection negotiates: HELLO 2) from a cluster of
// three masters and three replicas on 127.0.0.1:17001-17006, with the endpoint types it
// offers (ip, hostname without a hostname: "?", unknown-endpoint: empty or nil), and after
// a failover; slot numbers as strings are derived from them. Every reply goes through
// RespDecoder first. Malformed replies must give std::nullopt and a message, never a crash.

#include "resptestutil.h"

#include "clustertopology.h"
#include "keyslot.h"

#include <QtTest>

namespace {

// ---- Recorded from Redis 7.0.15 (raw bytes as read from the socket).

// CLUSTER SHARDS right after `redis-cli --cluster create`: the replicas are still "loading".
const QByteArray shards70 =
    "*3\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\n"
    "id\r\n$40\r\n7753e0fe09ae79aa736a449ace739121d3f2e7a7\r\n$4\r\nport\r\n:17002\r\n$2\r"
    "\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nma"
    "ster\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r"
    "\nid\r\n$40\r\nbb3579e9863bcda71ec023f1456e53378c778d97\r\n$4\r\nport\r\n:17006\r\n$2"
    "\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\n"
    "replica\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$7\r\nloading\r\n*4\r\n$"
    "5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n762e"
    "fc6f26ec61f84c79b4d62582eaca0d79adf3\r\n$4\r\nport\r\n:17001\r\n$2\r\nip\r\n$9\r\n127."
    "0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nrep"
    "lication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\ncc0"
    "4d2b1be84168513eb7e6a800e63d7359b8644\r\n$4\r\nport\r\n:17005\r\n$2\r\nip\r\n$9\r\n127"
    ".0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nr"
    "eplication-offset\r\n:0\r\n$6\r\nhealth\r\n$7\r\nloading\r\n*4\r\n$5\r\nslots\r\n*2\r"
    "\n:10923\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n7222ca9d21912ac8e"
    "09bbf0516c517bb74714133\r\n$4\r\nport\r\n:17003\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r"
    "\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offs"
    "et\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\nef42e165e669c7e0"
    "fd54419f54552d80f6b40750\r\n$4\r\nport\r\n:17004\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8"
    "\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-o"
    "ffset\r\n:0\r\n$6\r\nhealth\r\n$7\r\nloading\r\n";

// CLUSTER SLOTS a few seconds later, once every replica had replicated something (before
// that, 7.0 leaves replicas out of CLUSTER SLOTS). Each node: [ip, port, id, metadata].
const QByteArray slots70 =
    "*3\r\n*4\r\n:0\r\n:5460\r\n*4\r\n$9\r\n127.0.0.1\r\n:17001\r\n$40\r\n762efc6f26ec61f84"
    "c79b4d62582eaca0d79adf3\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n:17005\r\n$40\r\ncc04d2b1be8"
    "4168513eb7e6a800e63d7359b8644\r\n*0\r\n*4\r\n:5461\r\n:10922\r\n*4\r\n$9\r\n127.0.0.1"
    "\r\n:17002\r\n$40\r\n7753e0fe09ae79aa736a449ace739121d3f2e7a7\r\n*0\r\n*4\r\n$9\r\n127"
    ".0.0.1\r\n:17006\r\n$40\r\nbb3579e9863bcda71ec023f1456e53378c778d97\r\n*0\r\n*4\r\n:10"
    "923\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:17003\r\n$40\r\n7222ca9d21912ac8e09bbf0516c"
    "517bb74714133\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n:17004\r\n$40\r\nef42e165e669c7e0fd544"
    "19f54552d80f6b40750\r\n*0\r\n";

// cluster-preferred-endpoint-type hostname; 17002 has cluster-announce-hostname
// node2.weir.test, the others have none, so their endpoint is "?".
const QByteArray slots70Unknown =
    "*3\r\n*4\r\n:0\r\n:5460\r\n*4\r\n$1\r\n?\r\n:17001\r\n$40\r\n762efc6f26ec61f84c79b4d62"
    "582eaca0d79adf3\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n*4\r\n$1\r\n?\r\n:17005\r\n$40"
    "\r\ncc04d2b1be84168513eb7e6a800e63d7359b8644\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n*"
    "4\r\n:5461\r\n:10922\r\n*4\r\n$15\r\nnode2.weir.test\r\n:17002\r\n$40\r\n7753e0fe09ae7"
    "9aa736a449ace739121d3f2e7a7\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n*4\r\n$1\r\n?\r\n:"
    "17006\r\n$40\r\nbb3579e9863bcda71ec023f1456e53378c778d97\r\n*2\r\n$2\r\nip\r\n$9\r\n12"
    "7.0.0.1\r\n*4\r\n:10923\r\n:16383\r\n*4\r\n$1\r\n?\r\n:17003\r\n$40\r\n7222ca9d21912ac"
    "8e09bbf0516c517bb74714133\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n*4\r\n$1\r\n?\r\n:17"
    "004\r\n$40\r\nef42e165e669c7e0fd54419f54552d80f6b40750\r\n*2\r\n$2\r\nip\r\n$9\r\n127."
    "0.0.1\r\n";

// cluster-preferred-endpoint-type unknown-endpoint: the host is nil.
const QByteArray slots70NilHost =
    "*3\r\n*4\r\n:0\r\n:5460\r\n*4\r\n$-1\r\n:17001\r\n$40\r\n762efc6f26ec61f84c79b4d62582e"
    "aca0d79adf3\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n*4\r\n$-1\r\n:17005\r\n$40\r\ncc04"
    "d2b1be84168513eb7e6a800e63d7359b8644\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n*4\r\n:54"
    "61\r\n:10922\r\n*4\r\n$-1\r\n:17002\r\n$40\r\n7753e0fe09ae79aa736a449ace739121d3f2e7a7"
    "\r\n*4\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nhostname\r\n$15\r\nnode2.weir.test\r\n*"
    "4\r\n$-1\r\n:17006\r\n$40\r\nbb3579e9863bcda71ec023f1456e53378c778d97\r\n*2\r\n$2\r\ni"
    "p\r\n$9\r\n127.0.0.1\r\n*4\r\n:10923\r\n:16383\r\n*4\r\n$-1\r\n:17003\r\n$40\r\n7222ca"
    "9d21912ac8e09bbf0516c517bb74714133\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n*4\r\n$-1\r"
    "\n:17004\r\n$40\r\nef42e165e669c7e0fd54419f54552d80f6b40750\r\n*2\r\n$2\r\nip\r\n$9\r"
    "\n127.0.0.1\r\n";

// CLUSTER SHARDS with the hostname endpoint type, as for slots70Unknown; replicas online.
const QByteArray shards70Unknown =
    "*3\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*2\r\n*16\r\n$2\r\n"
    "id\r\n$40\r\n7753e0fe09ae79aa736a449ace739121d3f2e7a7\r\n$4\r\nport\r\n:17002\r\n$2\r"
    "\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$15\r\nnode2.weir.test\r\n$8\r\nhostname"
    "\r\n$15\r\nnode2.weir.test\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset"
    "\r\n:84\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\nbb3579e9863bcda71"
    "ec023f1456e53378c778d97\r\n$4\r\nport\r\n:17006\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r"
    "\nendpoint\r\n$1\r\n?\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:"
    "84\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\n"
    "nodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n762efc6f26ec61f84c79b4d62582eaca0d79adf3\r\n$"
    "4\r\nport\r\n:17001\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$1\r\n?\r\n$4"
    "\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:134\r\n$6\r\nhealth\r\n$6\r"
    "\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\ncc04d2b1be84168513eb7e6a800e63d7359b8644\r\n$4\r"
    "\nport\r\n:17005\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$1\r\n?\r\n$4\r\n"
    "role\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:134\r\n$6\r\nhealth\r\n$6\r\non"
    "line\r\n*4\r\n$5\r\nslots\r\n*2\r\n:10923\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2"
    "\r\nid\r\n$40\r\n7222ca9d21912ac8e09bbf0516c517bb74714133\r\n$4\r\nport\r\n:17003\r\n$"
    "2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$1\r\n?\r\n$4\r\nrole\r\n$6\r\nmaster"
    "\r\n$18\r\nreplication-offset\r\n:138\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\n"
    "id\r\n$40\r\nef42e165e669c7e0fd54419f54552d80f6b40750\r\n$4\r\nport\r\n:17004\r\n$2\r"
    "\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$1\r\n?\r\n$4\r\nrole\r\n$7\r\nreplica\r"
    "\n$18\r\nreplication-offset\r\n:138\r\n$6\r\nhealth\r\n$6\r\nonline\r\n";

// CLUSTER SHARDS on 17001 four seconds after 17003 was killed (cluster-node-timeout 1000).
const QByteArray shards70AfterFailover =
    "*4\r\n*4\r\n$5\r\nslots\r\n*2\r\n:10923\r\n:16383\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r"
    "\nid\r\n$40\r\nef42e165e669c7e0fd54419f54552d80f6b40750\r\n$4\r\nport\r\n:17004\r\n$2"
    "\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\n"
    "master\r\n$18\r\nreplication-offset\r\n:152\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$"
    "5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*2\r\n*16\r\n$2\r\nid\r\n$40\r\n"
    "7753e0fe09ae79aa736a449ace739121d3f2e7a7\r\n$4\r\nport\r\n:17002\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$8\r\nhostname\r\n$15\r\nnode2.weir."
    "test\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:98\r\n$6\r\nhealth"
    "\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\nbb3579e9863bcda71ec023f1456e53378c778d97"
    "\r\n$4\r\nport\r\n:17006\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127"
    ".0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:98\r\n$6\r\nhea"
    "lth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\nnodes\r\n*2\r\n"
    "*14\r\n$2\r\nid\r\n$40\r\n762efc6f26ec61f84c79b4d62582eaca0d79adf3\r\n$4\r\nport\r\n:1"
    "7001\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole"
    "\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:148\r\n$6\r\nhealth\r\n$6\r\nonline"
    "\r\n*14\r\n$2\r\nid\r\n$40\r\ncc04d2b1be84168513eb7e6a800e63d7359b8644\r\n$4\r\nport\r"
    "\n:17005\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\n"
    "role\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:148\r\n$6\r\nhealth\r\n$6\r\non"
    "line\r\n*4\r\n$5\r\nslots\r\n*0\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r\nid\r\n$40\r\n7222"
    "ca9d21912ac8e09bbf0516c517bb74714133\r\n$4\r\nport\r\n:17003\r\n$2\r\nip\r\n$9\r\n127."
    "0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nrep"
    "lication-offset\r\n:152\r\n$6\r\nhealth\r\n$4\r\nfail\r\n";

// CLUSTER SHARDS with the unknown-endpoint type: every endpoint is empty.
const QByteArray shards70EmptyEndpoint =
    "*3\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*2\r\n*16\r\n$2\r\n"
    "id\r\n$40\r\n7753e0fe09ae79aa736a449ace739121d3f2e7a7\r\n$4\r\nport\r\n:17002\r\n$2\r"
    "\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$0\r\n\r\n$8\r\nhostname\r\n$15\r\nnode2."
    "weir.test\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:84\r\n$6\r\nh"
    "ealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\nbb3579e9863bcda71ec023f1456e53378c7"
    "78d97\r\n$4\r\nport\r\n:17006\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$0\r"
    "\n\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:84\r\n$6\r\nhealth"
    "\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\nnodes\r\n*2\r\n*14"
    "\r\n$2\r\nid\r\n$40\r\n762efc6f26ec61f84c79b4d62582eaca0d79adf3\r\n$4\r\nport\r\n:1700"
    "1\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$0\r\n\r\n$4\r\nrole\r\n$6\r\nma"
    "ster\r\n$18\r\nreplication-offset\r\n:134\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2"
    "\r\nid\r\n$40\r\ncc04d2b1be84168513eb7e6a800e63d7359b8644\r\n$4\r\nport\r\n:17005\r\n$"
    "2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$0\r\n\r\n$4\r\nrole\r\n$7\r\nreplica"
    "\r\n$18\r\nreplication-offset\r\n:134\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\ns"
    "lots\r\n*2\r\n:10923\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n7222c"
    "a9d21912ac8e09bbf0516c517bb74714133\r\n$4\r\nport\r\n:17003\r\n$2\r\nip\r\n$9\r\n127.0"
    ".0.1\r\n$8\r\nendpoint\r\n$0\r\n\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-o"
    "ffset\r\n:138\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\nef42e165e66"
    "9c7e0fd54419f54552d80f6b40750\r\n$4\r\nport\r\n:17004\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r"
    "\n$8\r\nendpoint\r\n$0\r\n\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset"
    "\r\n:138\r\n$6\r\nhealth\r\n$6\r\nonline\r\n";

// ---- Recorded from Redis 7.2.6: 127.0.0.1:17101-17106, 17103 killed and 17106 promoted.
// The failed old master stays in its shard as a second master, listed first, and the shard's
// slots are its own: none. Only CLUSTER SLOTS says that 17106 serves 10923-16383.
const QByteArray shards72AfterFailover =
    "*3\r\n*4\r\n$5\r\nslots\r\n*0\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n0c2452"
    "c6aa7c3cdee52958cc9c8327d0ad1589fa\r\n$4\r\nport\r\n:17103\r\n$2\r\nip\r\n$9\r\n127.0."
    "0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nrepli"
    "cation-offset\r\n:84\r\n$6\r\nhealth\r\n$4\r\nfail\r\n*14\r\n$2\r\nid\r\n$40\r\nf6c95f"
    "d6931b2ba9d36f0fbc7683efb3655c0fc9\r\n$4\r\nport\r\n:17106\r\n$2\r\nip\r\n$9\r\n127.0."
    "0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nrepli"
    "cation-offset\r\n:84\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r"
    "\n:5460\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n2b07531e44b19a83423c04cb1555"
    "849ce5edc3ec\r\n$4\r\nport\r\n:17101\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r"
    "\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:196\r"
    "\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\n5ff5a7d573bd573249ad81429e"
    "95ae35da03394a\r\n$4\r\nport\r\n:17104\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoin"
    "t\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:1"
    "96\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5"
    "\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n8f9d621b802b8a23a6fcc6976f497dda29c3e71e\r"
    "\n$4\r\nport\r\n:17102\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0"
    ".0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:196\r\n$6\r\nhealt"
    "h\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\n499561a3ae658fe41d4f142491d4ccbe91af0a5"
    "8\r\n$4\r\nport\r\n:17105\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n12"
    "7.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:196\r\n$6\r\nh"
    "ealth\r\n$6\r\nonline\r\n";

const QString Connected = QStringLiteral("10.1.2.3"); // the host Weir connected to

const QByteArray Id1 = "762efc6f26ec61f84c79b4d62582eaca0d79adf3"; // 17001, master of 0-5460
const QByteArray Id2 = "7753e0fe09ae79aa736a449ace739121d3f2e7a7"; // 17002, 5461-10922
const QByteArray Id3 = "7222ca9d21912ac8e09bbf0516c517bb74714133"; // 17003, 10923-16383
const QByteArray Id4 = "ef42e165e669c7e0fd54419f54552d80f6b40750"; // 17004, replica of 17003
const QByteArray Id5 = "cc04d2b1be84168513eb7e6a800e63d7359b8644"; // 17005, replica of 17001
const QByteArray Id6 = "bb3579e9863bcda71ec023f1456e53378c778d97"; // 17006, replica of 17002

RedisValue decoded(const QByteArray &wire)
{
    RespDecoder decoder;
    decoder.feed(wire);
    RedisValue v;
    if (decoder.next(&v) != RespDecoder::Result::Reply)
        qFatal("a recorded reply does not decode");
    return v;
}

RedisValue asString(const RedisValue &v)
{
    return v.isInteger() ? RedisValue::string(QByteArray::number(v.toInteger())) : v;
}

// CLUSTER SHARDS with every slot number sent as a string.
RedisValue shardsWithStringSlots(const RedisValue &shards)
{
    QList<RedisValue> out;
    for (const RedisValue &shard : shards.elements()) {
        QList<RedisValue> fields = shard.elements();
        for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
            if (fields.at(i).bytes() != "slots")
                continue;
            QList<RedisValue> slots;
            for (const RedisValue &s : fields.at(i + 1).elements())
                slots.append(asString(s));
            fields[i + 1] = RedisValue::array(slots);
        }
        out.append(RedisValue::array(fields));
    }
    return RedisValue::array(out);
}

// CLUSTER SLOTS with every slot number and port sent as a string.
RedisValue slotsWithStrings(const RedisValue &slots)
{
    QList<RedisValue> out;
    for (const RedisValue &entry : slots.elements()) {
        QList<RedisValue> e = entry.elements();
        e[0] = asString(e.at(0));
        e[1] = asString(e.at(1));
        for (qsizetype i = 2; i < e.size(); ++i) {
            QList<RedisValue> node = e.at(i).elements();
            node[1] = asString(node.at(1));
            e[i] = RedisValue::array(node);
        }
        out.append(RedisValue::array(e));
    }
    return RedisValue::array(out);
}

const ClusterNode *byPort(const ClusterTopology &t, quint16 port)
{
    for (const ClusterNode &n : t.nodes()) {
        if (n.port == port)
            return &n;
    }
    return nullptr;
}

ClusterNode master(const QByteArray &id, quint16 port, QList<ClusterSlotRange> slots)
{
    ClusterNode n;
    n.id = id;
    n.host = QStringLiteral("127.0.0.1");
    n.port = port;
    n.slots = std::move(slots);
    return n;
}

// A field list (name, value, ...) as RESP2 carries a map.
RedisValue fields(const QList<QPair<QByteArray, RedisValue>> &pairs)
{
    QList<RedisValue> out;
    for (const auto &p : pairs)
        out << RedisValue::string(p.first) << p.second;
    return RedisValue::array(out);
}

RedisValue str(const QByteArray &s)
{
    return RedisValue::string(s);
}

RedisValue num(qint64 n)
{
    return RedisValue::integer(n);
}

RedisValue shardNode(const QByteArray &id, qint64 port, const QByteArray &role,
                     const QByteArray &health = "online")
{
    return fields({{"id", str(id)},
                   {"port", num(port)},
                   {"ip", str("127.0.0.1")},
                   {"endpoint", str("127.0.0.1")},
                   {"role", str(role)},
                   {"health", str(health)}});
}

RedisValue shard(QList<RedisValue> slots, QList<RedisValue> nodes)
{
    return fields({{"slots", RedisValue::array(std::move(slots))},
                   {"nodes", RedisValue::array(std::move(nodes))}});
}

} // namespace

class TestClusterTopology : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shardsAsRecorded_data();
    void shardsAsRecorded();
    void shardsEndpoints();
    void shardsAfterFailover();
    void shardsWithTwoMasters_data();
    void shardsWithTwoMasters();
    void unclearShardsAddTheirNodesToSlots();
    void slotsAsRecorded_data();
    void slotsAsRecorded();
    void slotsEndpoints();
    void slotsMergesRangesOfOneMaster();
    void slotLookupAtTheEdges();
    void gapsHaveNoNode();
    void conflictingMapsAreRefused();
    void malformedShards_data();
    void malformedShards();
    void malformedSlots_data();
    void malformedSlots();
    void mutatedRepliesNeverCrash_data();
    void mutatedRepliesNeverCrash();
    void redirects_data();
    void redirects();
    void badRedirects_data();
    void badRedirects();
    void clusterEnabled_data();
    void clusterEnabled();
    void addresses();
};

void TestClusterTopology::shardsAsRecorded_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<bool>("replicasLoading");
    QTest::newRow("integer slots") << decoded(shards70) << true;
    QTest::newRow("string slots") << shardsWithStringSlots(decoded(shards70)) << true;
    QTest::newRow("online replicas") << decoded(shards70Unknown) << false;
    QTest::newRow("online replicas, string slots")
        << shardsWithStringSlots(decoded(shards70Unknown)) << false;
}

// Three masters with one replica each, whatever form the slot numbers take.
void TestClusterTopology::shardsAsRecorded()
{
    QFETCH(RedisValue, reply);
    QFETCH(bool, replicasLoading);
    QString error;
    const auto t = parseClusterShards(reply, Connected, &error);
    QVERIFY2(t, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(t->nodes().size(), 6);
    QCOMPARE(t->masters().size(), 3);
    QVERIFY(t->coversAllSlots());

    const struct
    {
        quint16 port;
        QByteArray id;
        ClusterSlotRange slots;
        quint16 replicaPort;
        QByteArray replicaId;
    } expected[] = {{17001, Id1, {0, 5460}, 17005, Id5},
                    {17002, Id2, {5461, 10922}, 17006, Id6},
                    {17003, Id3, {10923, 16383}, 17004, Id4}};
    for (const auto &e : expected) {
        const ClusterNode *m = byPort(*t, e.port);
        QVERIFY(m);
        QVERIFY(m->isMaster());
        QCOMPARE(m->id, e.id);
        QCOMPARE(m->slots.size(), 1);
        QVERIFY(m->slots.first() == e.slots);
        QCOMPARE(m->health, ClusterNode::Health::Online);
        QVERIFY(m->masterId.isEmpty());
        const QList<ClusterNode> replicas = t->replicasOf(*m);
        QCOMPARE(replicas.size(), 1);
        const ClusterNode &r = replicas.first();
        QCOMPARE(r.port, e.replicaPort);
        QCOMPARE(r.id, e.replicaId);
        QCOMPARE(r.role, ClusterNode::Role::Replica);
        QCOMPARE(r.masterId, e.id);
        QVERIFY(r.slots.isEmpty());
        QCOMPARE(r.health,
                 replicasLoading ? ClusterNode::Health::Loading : ClusterNode::Health::Online);
        QCOMPARE(r.ip, QStringLiteral("127.0.0.1"));
    }
    QCOMPARE(byPort(*t, 17003)->replicationOffset, replicasLoading ? 0 : 138);
}

// The endpoint as Redis gives it for each cluster-preferred-endpoint-type.
void TestClusterTopology::shardsEndpoints()
{
    QString error;
    // ip: the endpoint is the IP.
    auto t = parseClusterShards(decoded(shards70), Connected, &error);
    QVERIFY2(t, qPrintable(error));
    for (const ClusterNode &n : t->nodes())
        QCOMPARE(n.host, QStringLiteral("127.0.0.1"));

    // hostname: the node with a hostname is reached by it; the others say "?", and Weir
    // uses their IP.
    t = parseClusterShards(decoded(shards70Unknown), Connected, &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(byPort(*t, 17002)->host, QStringLiteral("node2.weir.test"));
    QCOMPARE(byPort(*t, 17002)->hostname, QStringLiteral("node2.weir.test"));
    QCOMPARE(byPort(*t, 17001)->host, QStringLiteral("127.0.0.1"));
    QVERIFY(byPort(*t, 17001)->hostname.isEmpty());

    // unknown-endpoint: empty, meaning "where you sent the command".
    t = parseClusterShards(decoded(shards70EmptyEndpoint), Connected, &error);
    QVERIFY2(t, qPrintable(error));
    for (const ClusterNode &n : t->nodes()) {
        QCOMPARE(n.host, Connected);
        QCOMPARE(n.ip, QStringLiteral("127.0.0.1"));
    }
    QCOMPARE(byPort(*t, 17002)->hostname, QStringLiteral("node2.weir.test"));

    // "?" without an ip field: the connected host.
    const RedisValue noIp =
        RedisValue::array({shard({num(0), num(16383)}, {fields({{"id", str(Id1)},
                                                                {"port", num(7000)},
                                                                {"endpoint", str("?")},
                                                                {"role", str("master")}})})});
    t = parseClusterShards(noIp, Connected, &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->nodes().first().host, Connected);
    QCOMPARE(t->nodes().first().health, ClusterNode::Health::Unknown);
    QCOMPARE(t->nodes().first().replicationOffset, -1);
}

// 17003 was killed: 17004 took its slots, and 17003 stays listed, failed, in a shard of its
// own without slots.
void TestClusterTopology::shardsAfterFailover()
{
    QString error;
    const auto t = parseClusterShards(decoded(shards70AfterFailover), Connected, &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->nodes().size(), 6);
    QCOMPARE(t->masters().size(), 4);
    QVERIFY(t->coversAllSlots());
    const ClusterNode *promoted = t->nodeForSlot(16383);
    QVERIFY(promoted);
    QCOMPARE(promoted->port, quint16(17004));
    QCOMPARE(promoted->id, Id4);
    QVERIFY(t->replicasOf(*promoted).isEmpty());
    const ClusterNode *dead = byPort(*t, 17003);
    QVERIFY(dead);
    QCOMPARE(dead->health, ClusterNode::Health::Failed);
    QVERIFY(dead->slots.isEmpty());
    QCOMPARE(t->nodeForSlot(10923), promoted);
    QCOMPARE(t->nodeForSlot(10922)->port, quint16(17002));
}

// A shard that lists two masters: the online one serves when the shard names its slots;
// anything less plain is `ambiguous`, for the caller to ask CLUSTER SLOTS.
void TestClusterTopology::shardsWithTwoMasters_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<bool>("ambiguous");
    const RedisValue others = shard({num(0), num(10922)}, {shardNode(Id1, 17001, "master")});
    const RedisValue oldMaster = shardNode(Id3, 17003, "master", "fail");
    const RedisValue promoted = shardNode(Id4, 17004, "master");
    QTest::newRow("recorded 7.2.6: no slots") << decoded(shards72AfterFailover) << true;
    QTest::newRow("old master first")
        << RedisValue::array({others, shard({num(10923), num(16383)}, {oldMaster, promoted})})
        << false;
    QTest::newRow("new master first")
        << RedisValue::array({others, shard({num(10923), num(16383)}, {promoted, oldMaster})})
        << false;
    QTest::newRow("both online") << RedisValue::array(
        {others, shard({num(10923), num(16383)}, {shardNode(Id3, 17003, "master"), promoted})})
                                 << true;
    QTest::newRow("both failed") << RedisValue::array(
        {others,
         shard({num(10923), num(16383)}, {oldMaster, shardNode(Id4, 17004, "master", "fail")})})
                                 << true;
}

void TestClusterTopology::shardsWithTwoMasters()
{
    QFETCH(RedisValue, reply);
    QFETCH(bool, ambiguous);
    QString error;
    bool saidAmbiguous = !ambiguous;
    const auto t = parseClusterShards(reply, Connected, &error, &saidAmbiguous);
    QCOMPARE(saidAmbiguous, ambiguous);
    if (ambiguous) {
        QVERIFY(!t);
        QVERIFY2(error.contains(QLatin1String("2 masters")), qPrintable(error));
        return;
    }
    QVERIFY2(t, qPrintable(error));
    QVERIFY(t->coversAllSlots());
    QCOMPARE(t->nodeForSlot(16383)->id, Id4);
    const ClusterNode *old = byPort(*t, 17003);
    QVERIFY(old);
    QVERIFY(old->isMaster());
    QVERIFY(old->slots.isEmpty());
    QCOMPARE(old->health, ClusterNode::Health::Failed);
}

// After 7.2.6's unclear reply the slots come from CLUSTER SLOTS (shaped as 7.2.6 gives it in
// that state: the failed master left out), and what SHARDS said of each node is kept: the
// failed old master is listed, failed and serving nothing, and the others have their health.
void TestClusterTopology::unclearShardsAddTheirNodesToSlots()
{
    QString error;
    bool ambiguous = false;
    QList<ClusterNode> listed;
    QVERIFY(!parseClusterShards(decoded(shards72AfterFailover), Connected, &error, &ambiguous,
                                &listed));
    QVERIFY(ambiguous);
    QCOMPARE(listed.size(), 6);
    const auto node = [](const char *id, qint64 port) {
        return RedisValue::array({str("127.0.0.1"), num(port), str(id)});
    };
    const RedisValue slots = RedisValue::array({
        RedisValue::array({num(0), num(5460),
                           node("2b07531e44b19a83423c04cb1555849ce5edc3ec", 17101),
                           node("5ff5a7d573bd573249ad81429e95ae35da03394a", 17104)}),
        RedisValue::array({num(5461), num(10922),
                           node("8f9d621b802b8a23a6fcc6976f497dda29c3e71e", 17102),
                           node("499561a3ae658fe41d4f142491d4ccbe91af0a58", 17105)}),
        RedisValue::array(
            {num(10923), num(16383), node("f6c95fd6931b2ba9d36f0fbc7683efb3655c0fc9", 17106)}),
    });
    const auto fromSlots = parseClusterSlots(slots, Connected, &error);
    QVERIFY2(fromSlots, qPrintable(error));
    QCOMPARE(fromSlots->nodes().size(), 5);
    const ClusterTopology t = fromSlots->withNodesFrom(listed);
    QCOMPARE(t.nodes().size(), 6);
    QVERIFY(t.coversAllSlots());
    QCOMPARE(t.nodeForSlot(16383)->port, quint16(17106));
    QCOMPARE(t.nodeForSlot(16383)->health, ClusterNode::Health::Online);
    const ClusterNode *old = byPort(t, 17103);
    QVERIFY(old);
    QVERIFY(old->isMaster());
    QVERIFY(old->slots.isEmpty());
    QCOMPARE(old->health, ClusterNode::Health::Failed);
    QCOMPARE(byPort(t, 17104)->health, ClusterNode::Health::Online);
    QCOMPARE(t.replicasOf(*t.nodeForSlot(0)).size(), 1);
}

void TestClusterTopology::slotsAsRecorded_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<QString>("expectedHost");
    QTest::newRow("integers") << decoded(slots70) << QStringLiteral("127.0.0.1");
    QTest::newRow("strings") << slotsWithStrings(decoded(slots70)) << QStringLiteral("127.0.0.1");
    QTest::newRow("nil host") << decoded(slots70NilHost) << Connected;
    QTest::newRow("nil host, strings") << slotsWithStrings(decoded(slots70NilHost)) << Connected;
}

void TestClusterTopology::slotsAsRecorded()
{
    QFETCH(RedisValue, reply);
    QFETCH(QString, expectedHost);
    QString error;
    const auto t = parseClusterSlots(reply, Connected, &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->nodes().size(), 6);
    QCOMPARE(t->masters().size(), 3);
    QVERIFY(t->coversAllSlots());
    const QList<QPair<quint16, quint16>> pairs{{17001, 17005}, {17002, 17006}, {17003, 17004}};
    for (const auto &p : pairs) {
        const ClusterNode *m = byPort(*t, p.first);
        QVERIFY(m && m->isMaster());
        QCOMPARE(m->host, expectedHost);
        QCOMPARE(m->health, ClusterNode::Health::Unknown);
        const QList<ClusterNode> replicas = t->replicasOf(*m);
        QCOMPARE(replicas.size(), 1);
        QCOMPARE(replicas.first().port, p.second);
        QCOMPARE(replicas.first().host, expectedHost);
        QCOMPARE(replicas.first().masterId, m->id);
    }
    QCOMPARE(t->nodeForSlot(0)->id, Id1);
    QCOMPARE(t->nodeForSlot(10922)->id, Id2);
    QCOMPARE(t->nodeForSlot(16383)->id, Id3);
}

void TestClusterTopology::slotsEndpoints()
{
    QString error;
    const auto t = parseClusterSlots(decoded(slots70Unknown), Connected, &error);
    QVERIFY2(t, qPrintable(error));
    // "?" falls back to the ip in the node's metadata.
    QCOMPARE(byPort(*t, 17001)->host, QStringLiteral("127.0.0.1"));
    QCOMPARE(byPort(*t, 17005)->host, QStringLiteral("127.0.0.1"));
    QCOMPARE(byPort(*t, 17002)->host, QStringLiteral("node2.weir.test"));
    const auto nil = parseClusterSlots(decoded(slots70NilHost), Connected, &error);
    QVERIFY2(nil, qPrintable(error));
    QCOMPARE(byPort(*nil, 17002)->hostname, QStringLiteral("node2.weir.test"));
    QCOMPARE(byPort(*nil, 17002)->ip, QStringLiteral("127.0.0.1"));

    // Redis before 7.0: [host, port, id] without metadata; an empty host means this host.
    const RedisValue old = RedisValue::array(
        {RedisValue::array({num(0), num(16383), RedisValue::array({str(""), num(7000), str(Id1)}),
                            RedisValue::array({str("127.0.0.2"), str("7001"), str(Id5)})})});
    const auto o = parseClusterSlots(old, Connected, &error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(o->nodes().size(), 2);
    QCOMPARE(o->nodes().at(0).host, Connected);
    QCOMPARE(o->nodes().at(1).host, QStringLiteral("127.0.0.2"));
    QCOMPARE(o->nodes().at(1).port, quint16(7001));
}

// A master with several ranges is listed once per range, and so are its replicas.
void TestClusterTopology::slotsMergesRangesOfOneMaster()
{
    auto node = [](const QByteArray &id, qint64 port) {
        return RedisValue::array({str("127.0.0.1"), num(port), str(id)});
    };
    const RedisValue reply = RedisValue::array(
        {RedisValue::array({num(100), num(16383), node(Id2, 7001), node(Id6, 7004)}),
         RedisValue::array({num(0), num(49), node(Id1, 7000), node(Id5, 7003)}),
         RedisValue::array({num(50), str("99"), node(Id1, 7000), node(Id5, 7003)})});
    QString error;
    const auto t = parseClusterSlots(reply, Connected, &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->nodes().size(), 4);
    const ClusterNode *m = byPort(*t, 7000);
    QVERIFY(m);
    QCOMPARE(m->slots.size(), 2);
    QVERIFY((m->slots.at(0) == ClusterSlotRange{0, 49}));
    QVERIFY((m->slots.at(1) == ClusterSlotRange{50, 99}));
    QCOMPARE(t->replicasOf(*m).size(), 1);
    QCOMPARE(t->nodeForSlot(99)->port, quint16(7000));
    QCOMPARE(t->nodeForSlot(100)->port, quint16(7001));
    QVERIFY(t->coversAllSlots());
}

void TestClusterTopology::slotLookupAtTheEdges()
{
    QString error;
    const auto t = parseClusterShards(decoded(shards70Unknown), Connected, &error);
    QVERIFY2(t, qPrintable(error));
    const QList<QPair<int, quint16>> cases{{0, 17001},     {1, 17001},     {5460, 17001},
                                           {5461, 17002},  {10922, 17002}, {10923, 17003},
                                           {16382, 17003}, {16383, 17003}};
    for (const auto &c : cases) {
        const ClusterNode *n = t->nodeForSlot(c.first);
        QVERIFY2(n, qPrintable(QString::number(c.first)));
        QCOMPARE(n->port, c.second);
    }
    QVERIFY(!t->nodeForSlot(16384));
    QVERIFY(!t->nodeForSlot(-1));
    QVERIFY(!t->nodeForSlot(100000));
    // "foo" hashes to 12182 (CLUSTER KEYSLOT foo on 7.0.15), "{user1000}.following" to the
    // slot of "user1000".
    QCOMPARE(keySlot("foo"), quint16(12182));
    QCOMPARE(t->masterForKey("foo")->port, quint16(17003));
    QCOMPARE(t->masterForKey("{user1000}.following"), t->nodeForSlot(keySlot("user1000")));
    QCOMPARE(ClusterTopology().nodeForSlot(0), nullptr);
    QCOMPARE(ClusterTopology().coveredSlots(), 0);
}

void TestClusterTopology::gapsHaveNoNode()
{
    QString error;
    const auto t = ClusterTopology::fromNodes(
        {master(Id1, 7000, {{0, 99}, {300, 300}}), master(Id2, 7001, {{200, 299}, {16383, 16383}})},
        &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->coveredSlots(), 100 + 1 + 100 + 1);
    QVERIFY(!t->coversAllSlots());
    QCOMPARE(t->nodeForSlot(99)->port, quint16(7000));
    QVERIFY(!t->nodeForSlot(100));
    QVERIFY(!t->nodeForSlot(199));
    QCOMPARE(t->nodeForSlot(200)->port, quint16(7001));
    QCOMPARE(t->nodeForSlot(299)->port, quint16(7001));
    QCOMPARE(t->nodeForSlot(300)->port, quint16(7000));
    QVERIFY(!t->nodeForSlot(301));
    QVERIFY(!t->nodeForSlot(16382));
    QCOMPARE(t->nodeForSlot(16383)->port, quint16(7001));

    // A shard without slots (a fresh master) is no error, and serves nothing.
    const RedisValue reply = RedisValue::array(
        {shard({num(0), num(16383)}, {shardNode(Id1, 7000, "master")}),
         shard({}, {shardNode(Id2, 7001, "master"), shardNode(Id6, 7002, "replica")})});
    const auto s = parseClusterShards(reply, Connected, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->masters().size(), 2);
    QCOMPARE(s->replicasOf(s->masters().at(1)).size(), 1);
    QVERIFY(s->coversAllSlots());
}

void TestClusterTopology::conflictingMapsAreRefused()
{
    QString error;
    auto t = ClusterTopology::fromNodes(
        {master(Id1, 7000, {{0, 100}}), master(Id2, 7001, {{100, 200}})}, &error);
    QVERIFY(!t);
    QVERIFY2(error.contains(QLatin1String("overlap")), qPrintable(error));
    t = ClusterTopology::fromNodes({master(Id1, 7000, {}), master(Id1, 7001, {})}, &error);
    QVERIFY(!t);
    QVERIFY2(error.contains(QLatin1String("twice")), qPrintable(error));
    t = ClusterTopology::fromNodes({master(Id1, 7000, {{5, 4}})}, &error);
    QVERIFY(!t);
    t = ClusterTopology::fromNodes({master(Id1, 7000, {{0, 16384}})}, &error);
    QVERIFY(!t);
    QVERIFY2(error.contains(QLatin1String("0-16383")), qPrintable(error));
}

void TestClusterTopology::malformedShards_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<QString>("message");
    const RedisValue m1 = shardNode(Id1, 7000, "master");
    QTest::newRow("error reply") << RedisValue::error("ERR unknown subcommand 'SHARDS'")
                                 << "unknown subcommand";
    QTest::newRow("not an array") << RedisValue::string("x") << "expected an array";
    QTest::newRow("shard not a list") << RedisValue::array({num(1)}) << "shard 1";
    QTest::newRow("no slots") << RedisValue::array({fields({{"nodes", RedisValue::array({m1})}})})
                              << "no \"slots\"";
    QTest::newRow("no nodes") << RedisValue::array({fields({{"slots", RedisValue::array({})}})})
                              << "no \"nodes\"";
    QTest::newRow("odd slots") << RedisValue::array({shard({num(0), num(1), num(2)}, {m1})})
                               << "\"slots\"";
    QTest::newRow("slot 16384") << RedisValue::array({shard({num(0), num(16384)}, {m1})})
                                << "\"slots\"";
    QTest::newRow("slot not a number")
        << RedisValue::array({shard({str("zero"), num(5)}, {m1})}) << "\"slots\"";
    QTest::newRow("reversed range")
        << RedisValue::array({shard({num(9), num(5)}, {m1})}) << "\"slots\"";
    QTest::newRow("node without id") << RedisValue::array(
        {shard({num(0), num(5)}, {fields({{"port", num(1)}, {"role", str("master")}})})})
                                     << "node 1: no \"id\"";
    QTest::newRow("node without port") << RedisValue::array(
        {shard({num(0), num(5)}, {fields({{"id", str(Id1)}, {"role", str("master")}})})})
                                       << "no \"port\"";
    QTest::newRow("port out of range")
        << RedisValue::array({shard({num(0), num(5)}, {shardNode(Id1, 70000, "master")})})
        << "\"port\"";
    QTest::newRow("unknown role") << RedisValue::array(
        {shard({num(0), num(5)}, {shardNode(Id1, 7000, "leader")})})
                                  << "\"role\"";
    QTest::newRow("two masters") << RedisValue::array(
        {shard({num(0), num(5)}, {m1, shardNode(Id2, 7001, "master")})})
                                 << "2 masters";
    QTest::newRow("slots without a master")
        << RedisValue::array({shard({num(0), num(5)}, {shardNode(Id5, 7001, "replica")})})
        << "no master";
    QTest::newRow("overlapping shards") << RedisValue::array(
        {shard({num(0), num(5)}, {m1}), shard({num(5), num(9)}, {shardNode(Id2, 7001, "master")})})
                                        << "overlap";
}

void TestClusterTopology::malformedShards()
{
    QFETCH(RedisValue, reply);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!parseClusterShards(reply, Connected, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestClusterTopology::malformedSlots_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<QString>("message");
    const RedisValue n1 = RedisValue::array({str("127.0.0.1"), num(7000), str(Id1)});
    const RedisValue n2 = RedisValue::array({str("127.0.0.1"), num(7001), str(Id2)});
    QTest::newRow("error reply") << RedisValue::error("ERR This instance has cluster support "
                                                      "disabled")
                                 << "cluster support disabled";
    QTest::newRow("not an array") << num(3) << "expected an array";
    QTest::newRow("entry too short")
        << RedisValue::array({RedisValue::array({num(0), num(5)})}) << "range 1";
    QTest::newRow("slot not a number")
        << RedisValue::array({RedisValue::array({str("a"), num(5), n1})}) << "range 1";
    QTest::newRow("slot 16384") << RedisValue::array({RedisValue::array({num(0), num(16384), n1})})
                                << "0-16383";
    QTest::newRow("node too short")
        << RedisValue::array({RedisValue::array({num(0), num(5), RedisValue::array({str("h")})})})
        << "master";
    QTest::newRow("port not a number") << RedisValue::array(
        {RedisValue::array({num(0), num(5), RedisValue::array({str("h"), str("p")})})})
                                       << "port";
    QTest::newRow("host not a string") << RedisValue::array(
        {RedisValue::array({num(0), num(5), RedisValue::array({num(1), num(7000)})})})
                                       << "host";
    QTest::newRow("id not a string") << RedisValue::array(
        {RedisValue::array({num(0), num(5), RedisValue::array({str("h"), num(7000), num(1)})})})
                                     << "id";
    QTest::newRow("master is also a replica") << RedisValue::array(
        {RedisValue::array({num(0), num(5), n1}), RedisValue::array({num(6), num(9), n2, n1})})
                                              << "master and as a replica";
    QTest::newRow("overlap") << RedisValue::array(
        {RedisValue::array({num(0), num(5), n1}), RedisValue::array({num(3), num(9), n2})})
                             << "overlap";
}

void TestClusterTopology::malformedSlots()
{
    QFETCH(RedisValue, reply);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!parseClusterSlots(reply, Connected, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestClusterTopology::mutatedRepliesNeverCrash_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::newRow("shards") << decoded(shards70Unknown);
    QTest::newRow("shards after failover") << decoded(shards70AfterFailover);
    QTest::newRow("slots") << decoded(slots70NilHost);
}

// Every parser on every one-place change of a recorded reply: a result or a message.
void TestClusterTopology::mutatedRepliesNeverCrash()
{
    QFETCH(RedisValue, reply);
    const QList<RedisValue> variants = mutations(reply) << reply;
    QVERIFY(variants.size() > 100);
    int rejected = 0;
    for (const RedisValue &v : variants) {
        auto check = [&](bool ok, const QString &error) {
            if (!ok) {
                ++rejected;
                QVERIFY2(!error.isEmpty(), describe(v).constData());
            }
        };
        QString e1, e2, e3, e4;
        const auto shards = parseClusterShards(v, Connected, &e1);
        check(shards.has_value(), e1);
        const auto slots = parseClusterSlots(v, Connected, &e2);
        check(slots.has_value(), e2);
        check(parseClusterRedirect(v, Connected, &e3).has_value(), e3);
        check(parseClusterEnabled(v, &e4).has_value(), e4);
        for (const auto *t : {&shards, &slots}) {
            if (*t)
                QVERIFY((*t)->coveredSlots() <= ClusterTopology::SlotCount);
        }
    }
    QVERIFY(rejected > variants.size());
}

void TestClusterTopology::redirects_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<bool>("moved");
    QTest::addColumn<int>("slot");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    // As 7.0.15 sent them, with the ip and the unknown-endpoint types.
    QTest::newRow("MOVED") << RedisValue::error("MOVED 12182 127.0.0.1:17003") << true << 12182
                           << "127.0.0.1" << 17003;
    QTest::newRow("MOVED, unknown endpoint")
        << RedisValue::error("MOVED 12182 :17003") << true << 12182 << Connected << 17003;
    QTest::newRow("ASK") << RedisValue::error("ASK 3999 127.0.0.1:6381") << false << 3999
                         << "127.0.0.1" << 6381;
    QTest::newRow("slot 0") << RedisValue::error("ASK 0 h:1") << false << 0 << "h" << 1;
    QTest::newRow("slot 16383") << RedisValue::error("MOVED 16383 h:65535") << true << 16383 << "h"
                                << 65535;
    QTest::newRow("hostname") << RedisValue::error("MOVED 5 node2.weir.test:7000") << true << 5
                              << "node2.weir.test" << 7000;
    QTest::newRow("IPv6") << RedisValue::error("MOVED 3999 ::1:6381") << true << 3999 << "::1"
                          << 6381;
    QTest::newRow("IPv6, long") << RedisValue::error("ASK 7 2001:db8::7:1:6380") << false << 7
                                << "2001:db8::7:1" << 6380;
    QTest::newRow("IPv6, brackets")
        << RedisValue::error("MOVED 1 [fe80::1]:7000") << true << 1 << "fe80::1" << 7000;
}

void TestClusterTopology::redirects()
{
    QFETCH(RedisValue, reply);
    QFETCH(bool, moved);
    QFETCH(int, slot);
    QFETCH(QString, host);
    QFETCH(int, port);
    QString error;
    const auto r = parseClusterRedirect(reply, Connected, &error);
    QVERIFY2(r, qPrintable(error));
    QCOMPARE(r->kind, moved ? ClusterRedirect::Kind::Moved : ClusterRedirect::Kind::Ask);
    QCOMPARE(int(r->slot), slot);
    QCOMPARE(r->host, host);
    QCOMPARE(int(r->port), port);
    // The text form gives the same.
    const auto fromText = parseClusterRedirect(reply.bytes(), Connected, &error);
    QVERIFY(fromText);
    QCOMPARE(fromText->host, host);
}

void TestClusterTopology::badRedirects_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<QString>("message");
    QTest::newRow("other error") << RedisValue::error("ERR wrong number of arguments")
                                 << "not a MOVED or ASK";
    QTest::newRow("not an error") << RedisValue::string("MOVED 1 h:1") << "not an error";
    QTest::newRow("nil") << RedisValue::nil() << "not an error";
    QTest::newRow("lower case") << RedisValue::error("moved 1 h:1") << "not a MOVED or ASK";
    QTest::newRow("empty") << RedisValue::error("") << "not a MOVED or ASK";
    QTest::newRow("no slot") << RedisValue::error("MOVED") << "expected";
    QTest::newRow("no address") << RedisValue::error("MOVED 1") << "expected";
    QTest::newRow("extra word") << RedisValue::error("ASK 1 h:1 x") << "expected";
    QTest::newRow("slot not a number") << RedisValue::error("MOVED x h:1") << "slot";
    QTest::newRow("negative slot") << RedisValue::error("ASK -1 h:1") << "slot";
    QTest::newRow("slot 16384") << RedisValue::error("MOVED 16384 h:1") << "slot";
    QTest::newRow("no port") << RedisValue::error("MOVED 1 host") << "no port";
    QTest::newRow("empty port") << RedisValue::error("MOVED 1 host:") << "port";
    QTest::newRow("port 0") << RedisValue::error("MOVED 1 host:0") << "port";
    QTest::newRow("port too big") << RedisValue::error("MOVED 1 host:65536") << "port";
    QTest::newRow("IPv6 without port") << RedisValue::error("MOVED 1 [::1]") << "port";
}

void TestClusterTopology::badRedirects()
{
    QFETCH(RedisValue, reply);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!parseClusterRedirect(reply, Connected, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestClusterTopology::clusterEnabled_data()
{
    QTest::addColumn<RedisValue>("reply");
    QTest::addColumn<int>("expected"); // -1: an error
    // INFO cluster from 7.0.15, with and without cluster-enabled.
    QTest::newRow("enabled") << RedisValue::string("# Cluster\r\ncluster_enabled:1\r\n") << 1;
    QTest::newRow("disabled") << RedisValue::string("# Cluster\r\ncluster_enabled:0\r\n") << 0;
    QTest::newRow("among other sections")
        << RedisValue::string("# Server\r\nredis_version:7.0.15\r\nredis_mode:cluster\r\n\r\n"
                              "# Cluster\r\ncluster_enabled:1\r\n")
        << 1;
    QTest::newRow("no cluster section")
        << RedisValue::string("# Server\r\nredis_version:7.0.15\r\n") << -1;
    QTest::newRow("garbage value") << RedisValue::string("cluster_enabled:yes\r\n") << -1;
    QTest::newRow("error") << RedisValue::error("NOPERM no permissions") << -1;
    QTest::newRow("not a string") << num(1) << -1;
}

void TestClusterTopology::clusterEnabled()
{
    QFETCH(RedisValue, reply);
    QFETCH(int, expected);
    QString error;
    const auto enabled = parseClusterEnabled(reply, &error);
    if (expected < 0) {
        QVERIFY(!enabled);
        QVERIFY(!error.isEmpty());
    } else {
        QVERIFY2(enabled, qPrintable(error));
        QCOMPARE(*enabled, expected == 1);
    }
}

void TestClusterTopology::addresses()
{
    ClusterNode n;
    n.host = QStringLiteral("127.0.0.1");
    n.port = 7000;
    QCOMPARE(n.address(), QStringLiteral("127.0.0.1:7000"));
    n.host = QStringLiteral("::1");
    QCOMPARE(n.address(), QStringLiteral("[::1]:7000"));
}

QTEST_APPLESS_MAIN(TestClusterTopology)
#include "tst_clustertopology.moc"
