import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogConfig, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

/** What a confirmation dialog asks. */
export interface ConfirmDialogData {
  title: string;
  message: string;
  /** Label of the confirming button, e.g. "Delete". */
  confirmLabel: string;
  /** Shows the confirming button in the error colour. */
  destructive?: boolean;
}

/** A yes/no dialog; closes with `true` when confirmed. */
@Component({
  selector: 'app-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>{{ data.message }}</mat-dialog-content>
    <mat-dialog-actions align="end">
      <button type="button" matButton [mat-dialog-close]="false">Cancel</button>
      <button
        type="button"
        matButton="filled"
        [class.destructive]="data.destructive"
        [mat-dialog-close]="true"
        cdkFocusInitial
      >
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
})
export class ConfirmDialogComponent {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}

/** Opens a {@link ConfirmDialogComponent}; resolves to true only when the admin confirms. */
export async function confirmAction(dialog: MatDialog, data: ConfirmDialogData): Promise<boolean> {
  const config = new MatDialogConfig<ConfirmDialogData>();
  config.data = data;
  config.width = '440px';
  const ref = dialog.open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, config);
  return (await firstValueFrom(ref.afterClosed())) === true;
}
