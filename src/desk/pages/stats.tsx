/** A clinic's day and month in charts, with the numbers beside them. */
import { SOURCE_LABEL } from "../labels.ts";
import { OUTCOMES, SOURCES, type ClinicStats } from "../stats.ts";
import { BarChart } from "./chart.tsx";

const SOURCE_COLORS = ["#0b5563", "#6a1b9a", "#ef6c00", "#558b2f"];
const OUTCOME_LABEL = { attended: "Came", booked: "Booked", no_show: "No-show", cancelled: "Cancelled" };
const OUTCOME_COLORS = ["#2e7d32", "#0b5563", "#f9a825", "#c62828"];
const hourLabel = (h: number) => `${h % 12 === 0 ? 12 : h % 12}${h < 12 ? "am" : "pm"}`;

export function StatsPage({ clinic, stats }: { clinic: { name: string }; stats: ClinicStats }) {
  return (
    <>
      <h1>Day's picture: {clinic.name}</h1>
      <TodayByHour stats={stats} />
      <LastDaysByOutcome stats={stats} />
      <h2>By source, last 30 days (not cancelled)</h2>
      <ul id="sources">
        {SOURCES.map((s) => (
          <li>
            {SOURCE_LABEL[s]}: {stats.sources[s]}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Today's appointments per hour by source (phone, SMS, walk-in, ...), as a chart and a table. */
function TodayByHour({ stats }: { stats: ClinicStats }) {
  const sourceSeries = SOURCES.map((s, i) => ({ name: SOURCE_LABEL[s] ?? s, color: SOURCE_COLORS[i]! }));
  return (
    <>
      <h2>Today ({stats.today}), appointments by hour and source</h2>
      <BarChart
        title="Appointments today per hour (cancelled ones left out)"
        series={sourceSeries}
        bars={stats.hours.map((h) => ({ label: hourLabel(h.hour), values: SOURCES.map((s) => h.bySource[s]) }))}
      />
      <table id="hours">
        <thead>
          <tr>
            <th>Hour</th>
            {SOURCES.map((s) => (
              <th>{SOURCE_LABEL[s]}</th>
            ))}
            <th>Cancelled</th>
          </tr>
        </thead>
        <tbody>
          {stats.hours.length === 0 && (
            <tr>
              <td colspan={SOURCES.length + 2}>No appointments today.</td>
            </tr>
          )}
          {stats.hours.map((h) => (
            <tr>
              <td>{hourLabel(h.hour)}</td>
              {SOURCES.map((s) => (
                <td>{h.bySource[s]}</td>
              ))}
              <td>{h.cancelled}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The last 30 days per day by outcome (came, booked, no-show, cancelled); days with none are left out of the table. */
function LastDaysByOutcome({ stats }: { stats: ClinicStats }) {
  const outcomeSeries = OUTCOMES.map((o, i) => ({ name: OUTCOME_LABEL[o], color: OUTCOME_COLORS[i]! }));
  const total = (values: Record<string, number>) => Object.values(values).reduce((a, v) => a + v, 0);
  return (
    <>
      <h2>The last 30 days, by outcome</h2>
      <BarChart
        title="Appointments per day: came, still booked, no-shows, cancellations"
        series={outcomeSeries}
        bars={stats.days.map((d) => ({ label: d.date.slice(5), values: OUTCOMES.map((o) => d.byOutcome[o]) }))}
      />
      <table id="days">
        <thead>
          <tr>
            <th>Date</th>
            {OUTCOMES.map((o) => (
              <th>{OUTCOME_LABEL[o]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {stats.days
            .filter((d) => total(d.byOutcome) > 0)
            .map((d) => (
              <tr data-date={d.date}>
                <td>{d.date}</td>
                {OUTCOMES.map((o) => (
                  <td>{d.byOutcome[o]}</td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}
