/** A stacked bar chart as server-rendered SVG: no script, readable on any browser, with a title per bar. */
export interface Series {
  name: string;
  color: string;
}

export interface Bar {
  label: string;
  values: number[];
}

export function BarChart(props: { title: string; series: Series[]; bars: Bar[]; width?: number; height?: number }) {
  const width = props.width ?? 720;
  const height = props.height ?? 220;
  const pad = { left: 32, bottom: 36, top: 10, right: 8 };
  const max = Math.max(1, ...props.bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const plotHeight = height - pad.top - pad.bottom;
  const step = (width - pad.left - pad.right) / Math.max(1, props.bars.length);
  const barWidth = Math.max(2, step * 0.7);
  const labelEvery = Math.ceil(props.bars.length / 15);
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={props.title} style="max-width:48rem">
        <line x1={pad.left} y1={pad.top + plotHeight} x2={width - pad.right} y2={pad.top + plotHeight} stroke="#888" />
        <text x={pad.left - 4} y={pad.top + 10} text-anchor="end" font-size="11">
          {max}
        </text>
        <text x={pad.left - 4} y={pad.top + plotHeight} text-anchor="end" font-size="11">
          0
        </text>
        {props.bars.map((bar, i) => {
          let y = pad.top + plotHeight;
          const x = pad.left + i * step + (step - barWidth) / 2;
          return (
            <g>
              <title>{`${bar.label}: ${props.series.map((s, j) => `${s.name} ${bar.values[j] ?? 0}`).join(", ")}`}</title>
              {bar.values.map((value, j) => {
                const h = (value / max) * plotHeight;
                y -= h;
                return value > 0 ? (
                  <rect x={x} y={y} width={barWidth} height={h} fill={props.series[j]!.color} />
                ) : null;
              })}
              {i % labelEvery === 0 && (
                <text x={x + barWidth / 2} y={height - pad.bottom + 14} text-anchor="middle" font-size="11">
                  {bar.label}
                </text>
              )}
            </g>
          );
        })}
        {props.series.map((s, j) => (
          <g>
            <rect x={pad.left + j * 120} y={height - 14} width="10" height="10" fill={s.color} />
            <text x={pad.left + j * 120 + 14} y={height - 5} font-size="11">
              {s.name}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>{props.title}</figcaption>
    </figure>
  );
}
