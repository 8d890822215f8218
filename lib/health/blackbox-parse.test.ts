import { describe, expect, it } from "vitest";
import { parsePromText, parseSampleValue, unlabelledValue } from "@/lib/health/prom-text";

// A blackbox_exporter 0.23 answer to /probe (http prober), as the Debian package writes it, shortened.
const EXPORTER_ANSWER = `# HELP probe_dns_lookup_time_seconds Returns the time taken for probe dns lookup in seconds
# TYPE probe_dns_lookup_time_seconds gauge
probe_dns_lookup_time_seconds 1.3881e-05
# HELP probe_duration_seconds Returns how long the probe took to complete in seconds
# TYPE probe_duration_seconds gauge
probe_duration_seconds 0.002219397
# HELP probe_http_duration_seconds Duration of http request by phase, summed over all redirects
# TYPE probe_http_duration_seconds gauge
probe_http_duration_seconds{phase="connect"} 0.000210571
probe_http_duration_seconds{phase="processing"} 0.001365722
# HELP probe_http_status_code Response HTTP status code
# TYPE probe_http_status_code gauge
probe_http_status_code 200
# HELP probe_ip_addr_hash Specifies the hash of IP address. It's useful to detect if the IP address changes.
# TYPE probe_ip_addr_hash gauge
probe_ip_addr_hash 3.668918509e+09
# HELP probe_success Displays whether or not the probe was a success
# TYPE probe_success gauge
probe_success 1
`;

describe("parsePromText", () => {
  it("reads every sample of an exporter's answer and skips the HELP and TYPE comments", () => {
    const samples = parsePromText(EXPORTER_ANSWER);
    expect(samples.map((s) => s.name)).toEqual([
      "probe_dns_lookup_time_seconds",
      "probe_duration_seconds",
      "probe_http_duration_seconds",
      "probe_http_duration_seconds",
      "probe_http_status_code",
      "probe_ip_addr_hash",
      "probe_success",
    ]);
    expect(unlabelledValue(samples, "probe_success")).toBe(1);
    expect(unlabelledValue(samples, "probe_http_status_code")).toBe(200);
    expect(unlabelledValue(samples, "probe_duration_seconds")).toBe(0.002219397);
    expect(unlabelledValue(samples, "probe_dns_lookup_time_seconds")).toBe(1.3881e-5);
    expect(unlabelledValue(samples, "probe_ip_addr_hash")).toBe(3_668_918_509);
    expect(samples[2]).toEqual({ name: "probe_http_duration_seconds", labels: { phase: "connect" }, value: 0.000210571, timestampMs: null });
  });

  it("reads labels with escapes, blanks and a trailing comma, and an optional timestamp", () => {
    const [sample] = parsePromText('http_requests_total{ method = "post" , path="/a \\"b\\" \\\\ c\\nd", } 1027 1395066363000');
    expect(sample).toEqual({ name: "http_requests_total", labels: { method: "post", path: '/a "b" \\ c\nd' }, value: 1027, timestampMs: 1_395_066_363_000 });
    expect(parsePromText('metric{a="1"}\t2')[0]).toMatchObject({ labels: { a: "1" }, value: 2 });
    expect(parsePromText("metric{} 3")[0]).toMatchObject({ labels: {}, value: 3 });
    expect(parsePromText('metric{a="{},= #"} 4')[0]).toMatchObject({ labels: { a: "{},= #" }, value: 4 });
  });

  it("reads NaN, infinities, signs and exponents", () => {
    const values = parsePromText(["a NaN", "b +Inf", "c -Inf", "d Inf", "e -1.5e3", "f 1E-2", "g .5", "h 7.", "i +3", "j nan"].join("\n")).map((s) => s.value);
    expect(values).toEqual([Number.NaN, Infinity, -Infinity, Infinity, -1500, 0.01, 0.5, 7, 3, Number.NaN]);
  });

  it("ignores comments, blank lines, CRLF line ends and OpenMetrics' # EOF", () => {
    const text = "# a comment\r\n\r\n   \r\n  # indented comment\r\nprobe_success 0\r\n# EOF\r\n";
    expect(parsePromText(text)).toEqual([{ name: "probe_success", labels: {}, value: 0, timestampMs: null }]);
  });

  it("skips the lines it cannot read rather than guess", () => {
    const text = [
      "probe_success", // no value
      "probe_success one", // not a number
      "probe_success 1 2 3", // too many fields
      "probe_success 1 12.5", // a timestamp must be whole milliseconds
      "probe-success 1", // not a metric name
      "9metric 1", // names cannot start with a digit
      'm{a="1" 1', // unclosed label set
      'm{a="1} 1', // unclosed quote
      'm{a=1} 1', // unquoted value
      'm{a="\\t"} 1', // not an escape of this format
      'm{a="1",a="2"} 1', // a label twice
      "m 0x10", // hexadecimal is not expected
      "m 1_000",
      "m Infinityy",
      "ok 1",
    ].join("\n");
    expect(parsePromText(text)).toEqual([{ name: "ok", labels: {}, value: 1, timestampMs: null }]);
  });

  it("is empty for an empty or comment-only text", () => {
    expect(parsePromText("")).toEqual([]);
    expect(parsePromText("# HELP x y\n# TYPE x gauge\n")).toEqual([]);
  });
});

describe("unlabelledValue", () => {
  it("takes the first sample of that name without labels, never a labelled one", () => {
    const samples = parsePromText('probe_success{instance="x"} 1\nprobe_success 0\nprobe_success 1');
    expect(unlabelledValue(samples, "probe_success")).toBe(0);
    expect(unlabelledValue(parsePromText('probe_success{instance="x"} 1'), "probe_success")).toBeUndefined();
    expect(unlabelledValue(samples, "probe_duration_seconds")).toBeUndefined();
  });

  it("does not take a metric whose name only starts the same", () => {
    expect(unlabelledValue(parsePromText("probe_success_total 1"), "probe_success")).toBeUndefined();
  });
});

describe("parseSampleValue", () => {
  it("accepts the value forms of the format and nothing else", () => {
    expect(parseSampleValue("0")).toBe(0);
    expect(parseSampleValue("-0.25")).toBe(-0.25);
    expect(parseSampleValue("2.5e+2")).toBe(250);
    expect(parseSampleValue("+inf")).toBe(Infinity);
    expect(parseSampleValue("-Infinity")).toBe(-Infinity);
    expect(parseSampleValue("NaN")).toBeNaN();
    for (const bad of ["", " ", "e5", "1e", "--1", "1.2.3", "true", "0b1"]) expect(parseSampleValue(bad), bad).toBeUndefined();
  });
});
