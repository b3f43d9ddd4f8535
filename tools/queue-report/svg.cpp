#include "queue-report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "orchkit/util/units.hpp"

namespace queue_report {

using namespace orchkit;

namespace {

// Layout, in pixels.
constexpr double kWidth = 860;
constexpr double kHeader = 78;  // chart title and legend
constexpr double kPanel = 330;  // one target branch
constexpr double kLeft = 78;    // room for the y labels and the y axis title
constexpr double kRight = 36;
constexpr double kPanelTop = 40;     // panel title
constexpr double kPanelBottom = 70;  // x labels and the x axis title
constexpr double kInset = 24;        // keeps the first and last points off the axes
constexpr size_t kMaxLabelled = 24;  // above this many points, no value labels
constexpr size_t kMaxMarked = 80;    // above this many points, only overrides get a marker

const char* const kBlue = "#1f5fa8";
const char* const kOrange = "#d9730d";
const char* const kRed = "#c0392b";
const char* const kGrid = "#e3e6ea";
const char* const kInk = "#1d2329";
const char* const kMuted = "#5b6570";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string pct_label(int64_t h, int64_t step) {
  char buf[32];
  if (step % 100 == 0) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(h / 100));
  else if (step % 10 == 0)
    std::snprintf(buf, sizeof buf, "%lld.%lld", static_cast<long long>(h / 100), static_cast<long long>(h % 100 / 10));
  else std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(h / 100), static_cast<long long>(h % 100));
  return buf;
}

std::string pct2(int64_t h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(h / 100), static_cast<long long>(h % 100));
  return buf;
}

std::string text(double x, double y, std::string_view s, std::string_view attrs = {}) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + (attrs.empty() ? "" : " ") + std::string(attrs) + ">" +
         esc(s) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view attrs) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" " +
         std::string(attrs) + "/>\n";
}

struct Point {
  int64_t h = 0;     // hundredths of a percent
  size_t index = 0;  // 1-based change number
  std::string event = {};
  std::string at = {};
  std::string title = {};  // the tooltip
};

std::vector<Point> points_of(const BranchReport& b) {
  std::vector<Point> pts;
  size_t i = 0;
  for (const auto& h : b.history) {
    ++i;
    if (!h.after) continue;
    Point p{hundredths(h.after->covered, h.after->total), i, h.event, h.at, {}};
    std::string before = h.before ? format_ratio_pct(h.before->covered, h.before->total) : std::string("none");
    p.title = "#" + std::to_string(i) + " " + h.event + " " + h.at + ": " + before + " → " + pct2(p.h) + " %";
    if (!h.task.empty()) p.title += ", " + h.task;
    if (!h.actor.empty()) p.title += ", by " + h.actor;
    if (!h.reason.empty()) p.title += ": " + h.reason;
    pts.push_back(std::move(p));
  }
  if (pts.empty())  // a baseline with no recorded change: one point, its value
    pts.push_back(Point{hundredths(b.baseline.covered, b.baseline.total), 0, "baseline", b.baseline.updated_at,
                        "baseline " + b.pct + " %"});
  return pts;
}

// A y range with round ticks that holds every value and the floor, with some air.
struct Scale {
  int64_t lo = 0, hi = 10000, step = 1000;
};

Scale scale_for(int64_t lo_v, int64_t hi_v) {
  int64_t pad = std::max<int64_t>((hi_v - lo_v) / 8, 100);
  int64_t lo = std::max<int64_t>(0, lo_v - pad), hi = std::min<int64_t>(10000, hi_v + pad);
  static constexpr int64_t kSteps[] = {10, 20, 50, 100, 200, 500, 1000, 2000};
  int64_t step = 2000;
  for (int64_t s : kSteps)
    if ((hi - lo) / s <= 7) {
      step = s;
      break;
    }
  lo = lo / step * step;
  hi = std::min<int64_t>(10000, (hi + step - 1) / step * step);
  if (hi <= lo) hi = std::min<int64_t>(10000, lo + step), lo = hi - step;
  return Scale{lo, hi, step};
}

std::string panel(const Report& r, const BranchReport& b, double top) {
  const int64_t floor_h = r.floor.micro / (Percent::kScale / 100);
  std::vector<Point> pts = points_of(b);
  int64_t lo_v = floor_h, hi_v = floor_h;
  for (const auto& p : pts) lo_v = std::min(lo_v, p.h), hi_v = std::max(hi_v, p.h);
  const Scale sc = scale_for(lo_v, hi_v);

  const double x0 = kLeft, x1 = kWidth - kRight;
  const double y0 = top + kPanelTop, y1 = top + kPanel - kPanelBottom;  // plot area: y0 at the top
  auto ypos = [&](int64_t h) {
    return y1 - static_cast<double>(h - sc.lo) * (y1 - y0) / static_cast<double>(sc.hi - sc.lo);
  };
  const size_t n = pts.size();
  auto xpos = [&](size_t i) {
    if (n == 1) return (x0 + x1) / 2;
    return x0 + kInset + static_cast<double>(i) * (x1 - x0 - 2 * kInset) / static_cast<double>(n - 1);
  };

  std::string name = b.repo == r.repo ? b.branch : b.repo + " " + b.branch;
  std::string s = "<g class=\"panel\" data-target=\"" + esc(name) + "\">\n";
  std::string title = name + ": baseline " + b.pct + " %";
  title += " (" + std::to_string(b.trend.changes) + (b.trend.changes == 1 ? " change" : " changes");
  if (b.trend.overrides)
    title += ", " + std::to_string(b.trend.overrides) + (b.trend.overrides == 1 ? " override" : " overrides");
  title += ")";
  s += text(x0, top + 22, title, "font-size=\"15\" font-weight=\"bold\" fill=\"" + std::string(kInk) + "\"");

  // Grid and y axis labels.
  for (int64_t h = sc.lo; h <= sc.hi; h += sc.step) {
    double y = ypos(h);
    s += line(x0, y, x1, y, "stroke=\"" + std::string(kGrid) + "\" stroke-width=\"1\"");
    s += text(x0 - 8, y + 4, pct_label(h, sc.step),
              "font-size=\"12\" text-anchor=\"end\" fill=\"" + std::string(kMuted) + "\"");
  }
  // Axes.
  s += line(x0, y0, x0, y1, "stroke=\"" + std::string(kInk) + "\" stroke-width=\"1.2\"");
  s += line(x0, y1, x1, y1, "stroke=\"" + std::string(kInk) + "\" stroke-width=\"1.2\"");
  double ymid = (y0 + y1) / 2;
  s += "<text x=\"" + num(x0 - 52) + "\" y=\"" + num(ymid) + "\" transform=\"rotate(-90 " + num(x0 - 52) + " " +
       num(ymid) + ")\" font-size=\"12\" text-anchor=\"middle\" fill=\"" + kMuted + "\">line coverage (%)</text>\n";

  // X labels: the change number and its date, thinned so they never collide.
  double dx = n > 1 ? (x1 - x0 - 2 * kInset) / static_cast<double>(n - 1) : x1 - x0;
  size_t every = dx >= 76.0 ? 1 : static_cast<size_t>(std::ceil(76.0 / dx));
  for (size_t i = 0; i < n; ++i) {
    if ((n - 1 - i) % every != 0) continue;  // counted from the newest, which is always labelled
    double x = xpos(i);
    s += line(x, y1, x, y1 + 5, "stroke=\"" + std::string(kInk) + "\" stroke-width=\"1\"");
    std::string label = pts[i].index ? "#" + std::to_string(pts[i].index) : "now";
    s += text(x, y1 + 19, label, "font-size=\"12\" text-anchor=\"middle\" fill=\"" + std::string(kInk) + "\"");
    s += text(x, y1 + 34, pts[i].at.substr(0, 10),
              "font-size=\"11\" text-anchor=\"middle\" fill=\"" + std::string(kMuted) + "\"");
  }
  s += text((x0 + x1) / 2, y1 + 56, "change, oldest to newest (number and date)",
            "font-size=\"12\" text-anchor=\"middle\" fill=\"" + std::string(kMuted) + "\"");

  // The floor.
  double yf = ypos(floor_h);
  s += line(x0, yf, x1, yf,
            "class=\"floor\" data-pct=\"" + pct2(floor_h) + "\" stroke=\"" + kRed +
                "\" stroke-width=\"1.6\" stroke-dasharray=\"7 5\"");
  s += text(x1 - 4, yf - 6, "floor " + format_percent(r.floor) + " %",
            "font-size=\"12\" text-anchor=\"end\" font-weight=\"bold\" fill=\"" + std::string(kRed) + "\"");

  // The baseline line, then its points.
  std::string poly;
  for (size_t i = 0; i < n; ++i) poly += (i ? " " : "") + num(xpos(i)) + "," + num(ypos(pts[i].h));
  s += "<polyline class=\"baseline\" points=\"" + poly + "\" fill=\"none\" stroke=\"" + kBlue +
       "\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n";
  for (size_t i = 0; i < n; ++i) {
    const Point& p = pts[i];
    bool override_ = p.event == orchkit::state::history_event_name(orchkit::state::HistoryEvent::override_);
    if (!override_ && n > kMaxMarked) continue;
    double x = xpos(i), y = ypos(p.h);
    bool kept = p.event == orchkit::state::history_event_name(orchkit::state::HistoryEvent::kept);
    std::string fill = override_ ? kOrange : kept ? "#ffffff" : kBlue;
    std::string stroke = override_ ? kOrange : kBlue;
    s += "<circle class=\"point " + esc(p.event) + "\" data-index=\"" + std::to_string(p.index) + "\" data-event=\"" +
         esc(p.event) + "\" data-pct=\"" + pct2(p.h) + "\" cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"" +
         (override_ ? "6" : "4.5") + "\" fill=\"" + fill + "\" stroke=\"" + stroke + "\" stroke-width=\"2\"><title>" +
         esc(p.title) + "</title></circle>\n";
    if (n <= kMaxLabelled) {
      // Above the point, unless that would leave the plot.
      double ly = y - 11 < y0 + 4 ? y + 20 : y - 11;
      s += text(x, ly, pct2(p.h),
                "font-size=\"11\" text-anchor=\"middle\" fill=\"" + std::string(override_ ? kOrange : kInk) + "\"");
    }
  }
  s += "</g>\n";
  return s;
}

std::string legend(double y) {
  // Item widths from the label length: DejaVu Sans at 12 px averages under 6.8 px a character.
  auto advance = [](std::string_view label) { return 40 + 6.8 * static_cast<double>(label.size()); };
  double x = kLeft;
  std::string s = "<g class=\"legend\" font-size=\"12\" fill=\"" + std::string(kInk) + "\">\n";
  std::string_view l1 = "baseline after each change";
  s += line(x, y, x + 26, y, "stroke=\"" + std::string(kBlue) + "\" stroke-width=\"2.5\"");
  s += "<circle cx=\"" + num(x + 13) + "\" cy=\"" + num(y) + "\" r=\"4\" fill=\"" + kBlue + "\"/>\n";
  s += text(x + 32, y + 4, l1);
  x += advance(l1);
  std::string_view l2 = "kept (unchanged)";
  s += "<circle cx=\"" + num(x + 6) + "\" cy=\"" + num(y) + "\" r=\"4\" fill=\"#ffffff\" stroke=\"" + kBlue +
       "\" stroke-width=\"2\"/>\n";
  s += text(x + 16, y + 4, l2);
  x += advance(l2) - 16;
  std::string_view l3 = "override (audited)";
  s += "<circle cx=\"" + num(x + 6) + "\" cy=\"" + num(y) + "\" r=\"5\" fill=\"" + kOrange + "\"/>\n";
  s += text(x + 16, y + 4, l3);
  x += advance(l3) - 16;
  s += line(x, y, x + 26, y, "stroke=\"" + std::string(kRed) + "\" stroke-width=\"1.6\" stroke-dasharray=\"7 5\"");
  s += text(x + 32, y + 4, "floor (coverage.min)");
  s += "</g>\n";
  return s;
}

}  // namespace

std::string render_svg(const Report& r) {
  const double height = kHeader + (r.branches.empty() ? 60 : kPanel * static_cast<double>(r.branches.size())) + 10;
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(height) +
       "\" viewBox=\"0 0 " + num(kWidth) + " " + num(height) +
       "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n";
  s += "<title>Coverage baseline history: " + esc(r.repo) + "</title>\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  s += text(kLeft, 30,
            "Coverage baseline history: " + r.repo + (r.now ? ", as of " + r.now->substr(0, 10) : std::string()),
            "font-size=\"19\" font-weight=\"bold\" fill=\"" + std::string(kInk) + "\"");
  if (r.branches.empty()) {
    s += text(kLeft, 64, r.state_present ? "No baseline yet." : "No baseline yet: there is no state file.",
              "font-size=\"14\" fill=\"" + std::string(kMuted) + "\"");
  } else {
    s += legend(58);
    for (size_t i = 0; i < r.branches.size(); ++i)
      s += panel(r, r.branches[i], kHeader + kPanel * static_cast<double>(i));
  }
  s += "</svg>\n";
  return s;
}

}  // namespace queue_report
