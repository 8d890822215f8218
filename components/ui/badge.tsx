import clsx from "clsx";
import type { ReactNode } from "react";
import { PILL, TONES, type Tone } from "@/components/ui/tone";

type Props = { tone: Tone; children: ReactNode; title?: string; dot?: boolean; className?: string } & Record<`data-${string}`, string>;

/** A rounded pill in one of the tones, with a dot before its label unless `dot` is false. */
export function Badge({ tone, children, title, dot = true, className, ...data }: Props) {
  return (
    <span title={title} className={clsx(PILL, TONES[tone].pill, className)} {...data}>
      {dot ? <span aria-hidden className={clsx("size-1.5 rounded-full", TONES[tone].dot)} /> : null}
      {children}
    </span>
  );
}
